import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * An event envelope as Conduct hashes it (docs/asyncapi.yaml, EventEnvelope). Declared again rather
 * than imported from the event store, like the hashing below: the verifier depends on nothing of
 * the services.
 */
export interface HashedEnvelope {
  eventId: string;
  streamId: string;
  streamType: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** hash = sha256(prevHash ‖ canonical JSON of the hashed fields), lower-case hex. */
export function envelopeHash(prevHash: string, envelope: Omit<HashedEnvelope, 'prevHash' | 'hash'>): string {
  const hashed = canonicalJson({
    eventId: envelope.eventId,
    streamId: envelope.streamId,
    streamType: envelope.streamType,
    streamVersion: envelope.streamVersion,
    type: envelope.type,
    schemaVersion: envelope.schemaVersion,
    data: envelope.data,
    metadata: envelope.metadata,
  });
  return createHash('sha256')
    .update(prevHash + hashed, 'utf8')
    .digest('hex');
}

/** Where a stream's chain fails: its first event that does not follow from the one before. */
export interface ChainFault {
  streamId: string;
  streamVersion: number;
  eventId: string;
  reason: 'hash-mismatch' | 'chain-broken' | 'version-gap' | 'stream-mismatch';
}

/** Checks one stream from its first event: versions 1, 2, 3…, each prevHash the previous hash, each hash recomputed. */
export function firstChainFault(streamId: string, envelopes: readonly HashedEnvelope[]): ChainFault | undefined {
  let previous = { streamVersion: 0, hash: GENESIS_HASH };
  for (const envelope of envelopes) {
    const fault = (reason: ChainFault['reason']): ChainFault => ({
      streamId,
      streamVersion: envelope.streamVersion,
      eventId: envelope.eventId,
      reason,
    });
    if (envelope.streamId !== streamId) return fault('stream-mismatch');
    if (envelope.streamVersion !== previous.streamVersion + 1) return fault('version-gap');
    if (envelope.prevHash !== previous.hash) return fault('chain-broken');
    if (envelopeHash(envelope.prevHash, envelope) !== envelope.hash) return fault('hash-mismatch');
    previous = { streamVersion: envelope.streamVersion, hash: envelope.hash };
  }
  return undefined;
}
