import type { EventMetadata } from './metadata';

/** An event a command handler wants to append. */
export interface NewEvent<Type extends string = string, Data extends object = object> {
  /** A fresh uuid from the caller: the event's identity everywhere (Kafka, inboxes, webhooks). */
  eventId: string;
  type: Type;
  /** Defaults to the current schema version of the type (the upcasters' highest, else 1). */
  schemaVersion?: number;
  data: Data;
  metadata: EventMetadata;
}

/**
 * Exactly the fields an event hash covers (see computeEventHash). Everything else on a row —
 * position, transactionId, recordedAt — is assigned by the database and not covered.
 */
export interface HashedEventFields {
  eventId: string;
  streamId: string;
  streamType: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
}

/** A hashed event with its link in the chain: what verifyChain checks. */
export interface ChainedEvent extends HashedEventFields {
  prevHash: string;
  hash: string;
}

/** An event as stored (after upcasting, unless read with `upcast: false`). */
export interface RecordedEvent<Type extends string = string, Data = unknown> extends ChainedEvent {
  /** Global position (bigserial) as a decimal string. */
  position: string;
  /** Writing transaction id (xid8) as a decimal string. */
  transactionId: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  /** When the database stored it: ISO 8601 with microseconds, strictly increasing along the stream. */
  recordedAt: string;
}
