/** Who did it: arrives with every command and is stored with every event. */
export interface Actor {
  id: string;
  role: string;
  unitId?: string;
}

/** Where the conduct or request sits in the police hierarchy; reports and scope checks use it. */
export interface Jurisdiction {
  province: string;
  range?: string;
  district?: string;
  unitId?: string;
}

/** The metadata column of every event. */
export interface EventMetadata {
  actor: Actor;
  correlationId: string;
  causationId?: string;
  /** When the fact happened in the world (ISO 8601), as opposed to recordedAt. */
  occurredAt: string;
  jurisdiction?: Jurisdiction;
  /** Set on create commands that carried an Idempotency-Key: the key and a hash of the request. */
  idempotency?: { key: string; requestHash: string };
  /**
   * Set on events brought in from a force's legacy records (`npm run import:cases`): the import
   * file's SHA-256, the row and the legacy case number. Consumers record such events but notify
   * nobody and start no deadline of them (docs/import.md).
   */
  imported?: ImportedFrom;
}

/** Where an imported event came from. */
export interface ImportedFrom {
  sourceSha256: string;
  row: number;
  legacyCaseNumber: string;
}
