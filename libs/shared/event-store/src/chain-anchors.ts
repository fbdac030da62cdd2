import type { Pool } from 'pg';
import { toRecordedEvent } from './event-store';
import { GENESIS_HASH, verifyChain, type ChainBreak } from './hash-chain';
import { merkleRoot, streamHeadLeaf } from './merkle';
import { EVENT_COLUMNS, type EventRow } from './statements';

/**
 * A commitment to every stream of one service's event store at one moment: the Merkle root
 * (RFC 6962) over each stream's head (id, version, hash), in stream id order. Published away from
 * the database (Kafka, `conduct.anchors.v1`), it lets anyone who later reads the store check that
 * no stream was rewritten, even by someone who recomputed every later hash: the heads would differ.
 */
export interface ChainAnchor {
  /** The service whose store it commits to (the message key on the anchors topic). */
  service: string;
  anchoredAt: string;
  /** The PostgreSQL snapshot the heads were read in: which events the anchor covers, for a later check. */
  snapshot: string;
  streams: number;
  events: number;
  root: string;
}

/** What a check of the store against an anchor found. */
export interface AnchorVerification {
  /** True when every chain the anchor covers is intact and their heads give the anchor's root. */
  intact: boolean;
  anchor: ChainAnchor;
  streamsChecked: number;
  eventsChecked: number;
  /** The root of the store's heads as the anchor saw them (differs from the anchor's when rewritten). */
  root: string;
  /** The first broken chains, when some are (at most 20). */
  brokenStreams: { streamId: string; streamVersion: number; reason: ChainBreak }[];
}

const HEADS_TEXT = `SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash FROM events ORDER BY stream_id, stream_version DESC`;

/**
 * The anchor of the store as it stands: the heads are read in one repeatable-read snapshot, which
 * the anchor records, so that a check later reads exactly the events it covered.
 */
export async function computeAnchor(pool: Pool, service: string, now: Date): Promise<ChainAnchor> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ snapshot: string }>('SELECT pg_current_snapshot()::text AS snapshot')).rows[0]!.snapshot;
    const { rows: heads } = await client.query<{ stream_id: string; stream_version: number; hash: string }>(HEADS_TEXT);
    const events = (await client.query<{ events: number }>('SELECT count(*)::int AS events FROM events')).rows[0]!.events;
    await client.query('COMMIT');
    return {
      service,
      anchoredAt: now.toISOString(),
      snapshot,
      streams: heads.length,
      events,
      root: merkleRoot(heads.map((head) => streamHeadLeaf({ streamId: head.stream_id, streamVersion: head.stream_version, hash: head.hash }))),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Events visible in a snapshot, after a (stream, version), in that order: a page of the check. */
const PAGE_TEXT = `SELECT ${EVENT_COLUMNS}
  FROM events
 WHERE pg_visible_in_snapshot(transaction_id, $1::pg_snapshot) AND (stream_id, stream_version) > ($2, $3::int)
 ORDER BY stream_id, stream_version
 LIMIT $4::int`;

/**
 * Checks the store against an anchor: reads every event the anchor covered (those visible in its
 * snapshot), recomputes each stream's chain from the genesis hash, and the Merkle root of the
 * heads. An event edited in place breaks its chain; a stream rewritten with every later hash
 * recomputed, or an event deleted or added among those covered, changes the root.
 */
export async function verifyAgainstAnchor(pool: Pool, anchor: ChainAnchor, pageSize = 5_000): Promise<AnchorVerification> {
  const leaves: string[] = [];
  const brokenStreams: AnchorVerification['brokenStreams'] = [];
  let events = 0;
  let current: { streamId: string; streamVersion: number; hash: string; broken: boolean } | undefined;
  const endStream = (): void => {
    if (current) leaves.push(streamHeadLeaf(current));
  };
  let after = { streamId: '', streamVersion: 0 };
  for (;;) {
    const { rows } = await pool.query<EventRow>(PAGE_TEXT, [anchor.snapshot, after.streamId, after.streamVersion, pageSize]);
    for (const row of rows) {
      const event = toRecordedEvent(row);
      events += 1;
      if (current?.streamId !== event.streamId) {
        endStream();
        current = { streamId: event.streamId, streamVersion: 0, hash: GENESIS_HASH, broken: false };
      }
      if (!current.broken) {
        const link = verifyChain([event], { previous: { streamVersion: current.streamVersion, hash: current.hash } });
        if (!link.intact) {
          current.broken = true;
          if (brokenStreams.length < 20)
            brokenStreams.push({ streamId: event.streamId, streamVersion: event.streamVersion, reason: link.brokenAt!.reason });
        }
      }
      current.streamVersion = event.streamVersion;
      current.hash = event.hash;
    }
    if (rows.length < pageSize) break;
    const last = rows[rows.length - 1]!;
    after = { streamId: last.stream_id, streamVersion: last.stream_version };
  }
  endStream();
  const root = merkleRoot(leaves);
  return {
    intact: brokenStreams.length === 0 && root === anchor.root && leaves.length === anchor.streams,
    anchor,
    streamsChecked: leaves.length,
    eventsChecked: events,
    root,
    brokenStreams,
  };
}
