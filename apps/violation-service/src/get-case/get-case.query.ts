import { Query } from '@nestjs/cqrs';
import { Principal } from '@conduct/auth';
import { CaseClosure, CaseFile, CaseOutcome } from '@conduct/cases-domain';
import { ChainVerification } from '@conduct/event-store';

export class GetCaseQuery extends Query<CaseView> {
  constructor(
    readonly caseId: string,
    readonly principal: Principal,
    /** ISO 8601, up to microseconds: an event's recordedAt names exactly its version. */
    readonly asOf?: string,
  ) {
    super();
  }
}

export class GetCaseTrailQuery extends Query<CaseTrail> {
  constructor(
    readonly caseId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

export class VerifyCaseQuery extends Query<CaseVerification> {
  constructor(
    readonly caseId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

export interface CaseView {
  caseId: string;
  status: 'open' | 'closed';
  version: number;
  /** Set when the case is shown as it was at a past instant. */
  asOf?: string;
  file: CaseFile;
  outcome: CaseOutcome;
  closure?: CaseClosure;
  /** Fields left out (nulled) for this reader by the redaction policy, e.g. `file.investigatorId`; absent when none. */
  redacted?: string[];
}

/**
 * One event of the trail, exactly as recorded and hashed (never upcast): with `eventId`,
 * `streamId`, `streamType`, `streamVersion`, `type`, `schemaVersion`, `data` and `metadata`, anyone
 * can recompute `hash` = sha256(prevHash ‖ canonical JSON of those eight fields). `version`,
 * `actor`, `reasons` and `occurredAt` repeat what a reader looks for first.
 */
export interface CaseTrailEntry {
  eventId: string;
  streamId: string;
  streamType: string;
  streamVersion: number;
  schemaVersion: number;
  metadata: unknown;
  version: number;
  type: string;
  actor: { id: string; role: string; unitId?: string };
  /** The reasons (or grounds) the step gave, when it gave any. */
  reasons?: string[];
  occurredAt: string;
  recordedAt: string;
  hash: string;
  prevHash: string;
  data: unknown;
}

export interface CaseTrail {
  caseId: string;
  version: number;
  events: CaseTrailEntry[];
  /** Fields left out (nulled) for this reader, e.g. `[].data.text` of a note; absent when none. */
  redacted?: string[];
}

export type CaseVerification = { caseId: string } & ChainVerification;
