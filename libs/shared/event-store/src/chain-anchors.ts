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
  /** The event store it commits to: a random id the store keeps (anchor_store), so that heads are kept per store. */
  store: string;
  anchoredAt: string;
  /** The PostgreSQL snapshot the heads were read in: which events the anchor covers, for a later check. */
  snapshot: string;
  streams: number;
  events: number;
  root: string;
  /**
   * The heads it commits to went out just before it, in `parts` AnchorHeads messages: those that
   * changed since the store's last anchor, or all of them (`full`). With them, whoever follows the
   * topic holds every leaf and can prove a stream head is in the anchor (a dossier's inclusion proof).
   */
  heads: { full: boolean; changed: number; parts: number };
}

/** A head as it travels in AnchorHeads: stream id, version, hash. */
export type AnchoredHead = [streamId: string, streamVersion: number, hash: string];

/** One share of the heads an anchor commits to, published just before it on the same key. */
export interface AnchorHeads {
  kind: 'anchor-heads';
  service: string;
  store: string;
  /** The anchor's `anchoredAt`: which anchor these heads go with. */
  anchoredAt: string;
  /** 1 to `parts`. */
  part: number;
  parts: number;
  /** The heads replace every head held for the store (rather than updating those they name). */
  full: boolean;
  heads: AnchoredHead[];
}

/** An anchor and its heads, ready to publish; `recordAnchoredHeads` once they are out. */
export interface PreparedAnchor {
  anchor: ChainAnchor;
  parts: AnchorHeads[];
}

/** At most this many heads in one AnchorHeads message (about 600 kB, under Kafka's 1 MB default). */
export const ANCHOR_HEADS_PER_PART = 5_000;

/**
 * An anchor sends every head at least this often (and the first time): a follower whose heads
 * went out of step (a restore, a part lost) is back in step by the next one.
 */
export const FULL_SET_EVERY_HOURS = 24;

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

/** Every head, and whether it differs from the one the store last sent out with an anchor. */
const HEADS_TEXT = `SELECT head.stream_id, head.stream_version, head.hash,
       (sent.stream_id IS NULL OR sent.stream_version <> head.stream_version OR sent.hash <> head.hash) AS changed
  FROM (SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash FROM events ORDER BY stream_id, stream_version DESC) head
  LEFT JOIN anchored_heads sent ON sent.stream_id = head.stream_id
 ORDER BY head.stream_id`;

/**
 * The anchor of the store as it stands: the heads are read in one repeatable-read snapshot, which
 * the anchor records, so that a check later reads exactly the events it covered. Its parts carry
 * the heads changed since the store's last anchor, or all of them when `full` is asked for, the
 * store has sent none yet, or its last full set is FULL_SET_EVERY_HOURS old. Nothing is written:
 * after publishing, `recordAnchoredHeads`; an anchor that did not go out leaves the next one to
 * send the same heads again. Anchor through `anchorStore` (@conduct/messaging), which keeps two
 * anchors of one store from interleaving.
 */
export async function prepareAnchor(pool: Pool, service: string, now: Date, options: { full?: boolean } = {}): Promise<PreparedAnchor> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ snapshot: string }>('SELECT pg_current_snapshot()::text AS snapshot')).rows[0]!.snapshot;
    const { store, fullDue } = (
      await client.query<{ store: string; fullDue: boolean }>(
        `SELECT store_id::text AS store,
                (last_full_at IS NULL OR last_full_at < $1::timestamptz - interval '${FULL_SET_EVERY_HOURS} hours'
                 OR NOT EXISTS (SELECT 1 FROM anchored_heads)) AS "fullDue"
           FROM anchor_store`,
        [now],
      )
    ).rows[0]!;
    const { rows: heads } = await client.query<{ stream_id: string; stream_version: number; hash: string; changed: boolean }>(HEADS_TEXT);
    const events = (await client.query<{ events: number }>('SELECT count(*)::int AS events FROM events')).rows[0]!.events;
    await client.query('COMMIT');
    const full = options.full === true || fullDue;
    const sent: AnchoredHead[] = heads.filter((head) => full || head.changed).map((head) => [head.stream_id, head.stream_version, head.hash]);
    const anchoredAt = now.toISOString();
    const parts = Math.max(1, Math.ceil(sent.length / ANCHOR_HEADS_PER_PART));
    return {
      anchor: {
        service,
        store,
        anchoredAt,
        snapshot,
        streams: heads.length,
        events,
        root: merkleRoot(heads.map((head) => streamHeadLeaf({ streamId: head.stream_id, streamVersion: head.stream_version, hash: head.hash }))),
        heads: { full, changed: sent.length, parts },
      },
      parts: Array.from({ length: parts }, (_, index) => ({
        kind: 'anchor-heads' as const,
        service,
        store,
        anchoredAt,
        part: index + 1,
        parts,
        full,
        heads: sent.slice(index * ANCHOR_HEADS_PER_PART, (index + 1) * ANCHOR_HEADS_PER_PART),
      })),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Remembers the heads an anchor sent out, so that the next one sends only what changed after. A
 * head never goes back to an older version here: two replicas anchoring at once leave the newer
 * (and streams never go away, so a full set removes nothing).
 */
export async function recordAnchoredHeads(pool: Pool, prepared: PreparedAnchor): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const part of prepared.parts) {
      if (part.heads.length === 0) continue;
      await client.query(
        `INSERT INTO anchored_heads (stream_id, stream_version, hash)
         SELECT * FROM unnest($1::text[], $2::int[], $3::text[])
         ON CONFLICT (stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version, hash = EXCLUDED.hash
          WHERE anchored_heads.stream_version <= EXCLUDED.stream_version`,
        [part.heads.map((head) => head[0]), part.heads.map((head) => head[1]), part.heads.map((head) => head[2])],
      );
    }
    if (prepared.anchor.heads.full)
      await client.query(`UPDATE anchor_store SET last_full_at = greatest(last_full_at, $1::timestamptz)`, [prepared.anchor.anchoredAt]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Runs `fn` while holding the store's anchoring lock (a session advisory lock): anchors of one
 * store go out one after the other, their heads before them, never interleaved with another
 * replica's, which a follower could not tell apart.
 */
export async function whileAnchoring<T>(pool: Pool, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('conduct.anchor'))`);
    try {
      return await fn();
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext('conduct.anchor'))`);
    }
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
