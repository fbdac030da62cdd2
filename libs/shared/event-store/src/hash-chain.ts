import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { ChainedEvent, HashedEventFields } from './events';

/** prev_hash of the first event of every stream: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The canonical JSON text an event hash covers: exactly the fields of HashedEventFields
 * (eventId, streamId, streamType, streamVersion, type, schemaVersion, data, metadata), as
 * stored — i.e. before any upcasting — with metadata complete (actor, correlationId,
 * causationId, occurredAt, jurisdiction, idempotency: whatever the row holds).
 */
export function eventHashInput(event: HashedEventFields): string {
  return canonicalJson({
    eventId: event.eventId,
    streamId: event.streamId,
    streamType: event.streamType,
    streamVersion: event.streamVersion,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
  });
}

/**
 * hash = lowercase hex of sha256(UTF-8 bytes of prevHash ‖ eventHashInput(event)), where
 * prevHash is the previous event's hash as 64 hex characters (GENESIS_HASH for version 1).
 * The database computes the same expression when appending:
 * `encode(sha256(convert_to(prev_hash || canonical, 'UTF8')), 'hex')`.
 */
export function computeEventHash(prevHash: string, event: HashedEventFields): string {
  return hashLink(prevHash, eventHashInput(event));
}

function hashLink(prevHash: string, canonical: string): string {
  return createHash('sha256')
    .update(prevHash + canonical, 'utf8')
    .digest('hex');
}

export type ChainBreak =
  /** The event's content no longer matches its hash: a field was edited. */
  | 'hash-mismatch'
  /** prevHash is not the previous event's hash: an event was removed, reordered or replaced. */
  | 'chain-broken'
  /** The versions are not consecutive: an event was removed or renumbered. */
  | 'version-gap'
  /** The event belongs to another stream. */
  | 'stream-mismatch';

export interface ChainVerification {
  intact: boolean;
  /** Events examined, including the one that broke the chain. */
  eventsChecked: number;
  /** The first event at which the chain fails, when it does. */
  brokenAt?: { streamVersion: number; reason: ChainBreak };
}

export interface VerifyChainOptions {
  /**
   * The event just before the first one given. Defaults to the genesis ({ streamVersion: 0,
   * hash: GENESIS_HASH }) when the first event has version 1; for a slice that starts later
   * without it, the first event's prevHash is taken on trust and only the rest is checked.
   */
  previous?: { streamVersion: number; hash: string };
}

/**
 * Verifies a stream (or a consecutive slice of one) in version order, from the fields alone:
 * each hash is recomputed and each prevHash must be the hash before it. Pure: usable on rows,
 * on envelopes received over Kafka, or on an export. Pass the events as stored, not upcast.
 */
export function verifyChain(events: readonly ChainedEvent[], options: VerifyChainOptions = {}): ChainVerification {
  const first = events[0];
  if (!first) return { intact: true, eventsChecked: 0 };
  let previous = options.previous ?? (first.streamVersion === 1 ? { streamVersion: 0, hash: GENESIS_HASH } : undefined);
  let checked = 0;
  for (const event of events) {
    checked += 1;
    const broken = (reason: ChainBreak): ChainVerification => ({
      intact: false,
      eventsChecked: checked,
      brokenAt: { streamVersion: event.streamVersion, reason },
    });
    if (event.streamId !== first.streamId) return broken('stream-mismatch');
    if (previous && event.streamVersion !== previous.streamVersion + 1) return broken('version-gap');
    if (previous && event.prevHash !== previous.hash) return broken('chain-broken');
    if (computeEventHash(event.prevHash, event) !== event.hash) return broken('hash-mismatch');
    previous = { streamVersion: event.streamVersion, hash: event.hash };
  }
  return { intact: true, eventsChecked: checked };
}
