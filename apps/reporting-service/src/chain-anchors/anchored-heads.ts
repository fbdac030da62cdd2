import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource, EntityManager } from 'typeorm';
import { inclusionProof, merkleRoot, streamHeadLeaf, type AnchorHeads, type ChainAnchor } from '@conduct/event-store';
import { sharedCounter } from '@conduct/messaging';

/** A stream head's place in the latest anchor of its store that reporting-service holds every head of. */
export interface AnchoredStreamHead {
  anchor: ChainAnchor;
  streamVersion: number;
  hash: string;
  leafIndex: number;
  proof: string[];
}

const unmatched = () =>
  sharedCounter(
    'conduct_reporting_anchors_unmatched_total',
    'Anchors on conduct.anchors.v1 whose root the heads reporting-service holds do not give (dossiers keep the last that did; `npm run anchors -- publish <service> --full` realigns)',
    ['service'],
  );

interface HeadRow {
  stream_id: string;
  stream_version: number;
  hash: string;
}

/**
 * The heads of every service's store as its anchors sent them (ADR 20): each anchor's parts are
 * kept until the anchor itself arrives, then applied at once; an anchor whose root the heads then
 * give becomes the one dossiers prove against. Applying a message and moving the partition's
 * position happen in one transaction, so a message read twice changes nothing.
 */
@Injectable()
export class AnchoredHeads {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(AnchoredHeads.name);
  }

  /** Where to resume each partition: the offset after the last message applied. */
  async positions(): Promise<Map<number, string>> {
    const rows = await this.dataSource.query<
      {
        partition: number;
        next: string;
      }[]
    >(`SELECT partition, next_offset::text AS next FROM anchor_positions`);
    return new Map(rows.map((row) => [row.partition, row.next]));
  }

  /**
   * Applies one message of the anchors topic, if it is the next of its partition (offsets there are
   * consecutive: the topic is never compacted nor written in transactions). One already applied is
   * skipped; one past the next says where to read from instead (`rewindTo`), so that nothing read
   * from where the group stood rather than where this database stands is skipped over. A message
   * that is neither an anchor nor its heads, or that the database refuses as data, is logged and
   * passed: it must not hold the partition up.
   */
  async apply(partition: number, offset: string, key: Buffer | null, value: Buffer | null): Promise<{ rewindTo?: string }> {
    return this.dataSource.transaction(async (manager) => {
      const [position] = await manager.query<{ next: string }[]>(
        `SELECT next_offset::text AS next FROM anchor_positions WHERE partition = $1 FOR UPDATE`,
        [partition],
      );
      const next = BigInt(position?.next ?? '0');
      if (BigInt(offset) < next) return {};
      if (BigInt(offset) > next) return { rewindTo: next.toString() };
      const message = parse(key, value);
      if (!message) this.logger.warn({ partition, offset }, 'passed over a message of conduct.anchors.v1 that is neither an anchor nor its heads');
      else {
        await manager.query('SAVEPOINT anchor_message');
        try {
          if ('kind' in message) await this.keepPart(manager, message);
          else await this.applyAnchor(manager, message);
          await manager.query('RELEASE SAVEPOINT anchor_message');
        } catch (error) {
          // Class 22: data the database cannot hold (a NUL in a text, a number out of range).
          const code = (error as { code?: unknown }).code;
          if (typeof code !== 'string' || !code.startsWith('22')) throw error;
          await manager.query('ROLLBACK TO SAVEPOINT anchor_message');
          this.logger.warn({ err: error, partition, offset }, 'passed over a message of conduct.anchors.v1 the database refused');
        }
      }
      await manager.query(
        `INSERT INTO anchor_positions (partition, next_offset) VALUES ($1, $2::bigint + 1)
         ON CONFLICT (partition) DO UPDATE SET next_offset = EXCLUDED.next_offset`,
        [partition, offset],
      );
      return {};
    });
  }

  private async keepPart(manager: EntityManager, part: AnchorHeads): Promise<void> {
    await manager.query(
      `INSERT INTO anchor_head_parts (service, store, anchored_at, part, full_set, heads) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT DO NOTHING`,
      [part.service, part.store, part.anchoredAt, part.part, part.full, JSON.stringify(part.heads)],
    );
  }

  /**
   * The anchor's parts applied to the heads held for its store; kept as the store's held anchor if
   * the heads then give its root. If not (a part missing, heads out of step), the heads go back to
   * what they were, so that dossiers go on proving against the anchor held before; the store's
   * next full set of heads (at least daily) brings them back in step.
   */
  private async applyAnchor(manager: EntityManager, anchor: ChainAnchor): Promise<void> {
    const key = [anchor.service, anchor.store];
    const parts = await manager.query<{ part: number }[]>(
      `SELECT part FROM anchor_head_parts WHERE service = $1 AND store = $2 AND anchored_at = $3 ORDER BY part`,
      [...key, anchor.anchoredAt],
    );
    const complete = parts.length === anchor.heads.parts && parts.every((part, index) => part.part === index + 1);
    await manager.query('SAVEPOINT anchor_heads');
    if (complete) {
      if (anchor.heads.full) await manager.query(`DELETE FROM anchor_heads WHERE service = $1 AND store = $2`, key);
      // A head never goes back: one sent again with an older version leaves the newer.
      await manager.query(
        `INSERT INTO anchor_heads (service, store, stream_id, stream_version, hash)
         SELECT part.service, part.store, head->>0, (head->>1)::int, head->>2
           FROM anchor_head_parts part, jsonb_array_elements(part.heads) head
          WHERE part.service = $1 AND part.store = $2 AND part.anchored_at = $3
         ON CONFLICT (service, store, stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version, hash = EXCLUDED.hash
          WHERE anchor_heads.stream_version <= EXCLUDED.stream_version`,
        [...key, anchor.anchoredAt],
      );
    }
    const heads = await this.heads(manager, anchor.service, anchor.store);
    const root = merkleRoot(heads.map(leafOf));
    const matched = complete && root === anchor.root && heads.length === anchor.streams;
    if (matched) {
      await manager.query('RELEASE SAVEPOINT anchor_heads');
      await manager.query(
        `INSERT INTO held_anchors (service, store, anchor, anchored_at) VALUES ($1, $2, $3::jsonb, $4)
         ON CONFLICT (service, store) DO UPDATE SET anchor = EXCLUDED.anchor, anchored_at = EXCLUDED.anchored_at, received_at = now()`,
        [...key, JSON.stringify(anchor), anchor.anchoredAt],
      );
    } else {
      await manager.query('ROLLBACK TO SAVEPOINT anchor_heads');
      unmatched().inc({ service: anchor.service });
      this.logger.warn(
        {
          anchor: { service: anchor.service, store: anchor.store, anchoredAt: anchor.anchoredAt, root: anchor.root },
          held: { root, streams: heads.length },
          complete,
        },
        'the heads held do not give the root of this anchor: dossiers go on proving against the one held before',
      );
    }
    // Anchors of one store go out one at a time, parts first: what is left is this one's, or of one that never came.
    await manager.query(`DELETE FROM anchor_head_parts WHERE service = $1 AND store = $2`, key);
  }

  /**
   * For each stream, its head in the latest anchor held of the store that holds it, with the proof
   * that the head is in that anchor; streams no anchor covers yet are left out. One snapshot: a
   * newer anchor applied meanwhile cannot mix its heads into the proof of the older.
   */
  async proofsFor(streamIds: readonly string[]): Promise<Map<string, AnchoredStreamHead>> {
    const proofs = new Map<string, AnchoredStreamHead>();
    if (streamIds.length === 0) return proofs;
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      const holders = await manager.query<{ stream_id: string; anchor: ChainAnchor }[]>(
        `SELECT DISTINCT ON (head.stream_id) head.stream_id, held.anchor
           FROM anchor_heads head JOIN held_anchors held USING (service, store)
          WHERE head.stream_id = ANY($1::text[])
          ORDER BY head.stream_id, held.anchored_at DESC`,
        [streamIds],
      );
      const byStore = new Map<string, { anchor: ChainAnchor; streamIds: string[] }>();
      for (const holder of holders) {
        const store = `${holder.anchor.service}/${holder.anchor.store}`;
        const entry = byStore.get(store) ?? { anchor: holder.anchor, streamIds: [] };
        entry.streamIds.push(holder.stream_id);
        byStore.set(store, entry);
      }
      for (const { anchor, streamIds: wanted } of byStore.values()) {
        const heads = await this.heads(manager, anchor.service, anchor.store);
        const leaves = heads.map(leafOf);
        // Heads applied from a later anchor that did not match: the held anchor can no longer be proved against.
        if (merkleRoot(leaves) !== anchor.root) continue;
        const index = new Map(heads.map((head, at) => [head.stream_id, at]));
        for (const streamId of wanted) {
          const at = index.get(streamId)!;
          const head = heads[at]!;
          proofs.set(streamId, { anchor, streamVersion: head.stream_version, hash: head.hash, leafIndex: at, proof: inclusionProof(leaves, at) });
        }
      }
      return proofs;
    });
  }

  private async heads(manager: EntityManager, service: string, store: string): Promise<HeadRow[]> {
    return await manager.query<HeadRow[]>(
      `SELECT stream_id, stream_version, hash FROM anchor_heads WHERE service = $1 AND store = $2 ORDER BY stream_id`,
      [service, store],
    );
  }
}

const leafOf = (head: HeadRow): string => streamHeadLeaf({ streamId: head.stream_id, streamVersion: head.stream_version, hash: head.hash });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HASH = /^[0-9a-f]{64}$/;
const MAX_PARTS = 10_000;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Text PostgreSQL can hold, of a sensible length: no NUL, no lone surrogate. */
const isText = (value: unknown, maxLength = 200): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= maxLength && !value.includes('\u0000') && !LONE_SURROGATE.test(value);
const isCount = (value: unknown, min: number, max: number): value is number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
const isHead = (head: unknown): boolean =>
  Array.isArray(head) &&
  head.length === 3 &&
  isText(head[0]) &&
  isCount(head[1], 1, 2_147_483_647) &&
  typeof head[2] === 'string' &&
  HASH.test(head[2]);

/**
 * An anchor or a part of one, as the service named by the message key published it; undefined for
 * anything else (older anchors without a store carry no heads, and are not followed).
 */
function parse(key: Buffer | null, value: Buffer | null): ChainAnchor | AnchorHeads | undefined {
  if (!key || !value) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const fields = message as Record<string, unknown>;
  const common =
    isText(fields['service']) &&
    fields['service'] === key.toString('utf8') &&
    typeof fields['store'] === 'string' &&
    UUID.test(fields['store']) &&
    isText(fields['anchoredAt'], 40) &&
    !Number.isNaN(Date.parse(fields['anchoredAt']));
  if (!common) return undefined;
  if (fields['kind'] === 'anchor-heads')
    return isCount(fields['parts'], 1, MAX_PARTS) &&
      isCount(fields['part'], 1, fields['parts']) &&
      typeof fields['full'] === 'boolean' &&
      Array.isArray(fields['heads']) &&
      fields['heads'].every(isHead)
      ? (message as AnchorHeads)
      : undefined;
  const heads = fields['heads'] as Record<string, unknown> | undefined;
  return typeof fields['root'] === 'string' &&
    HASH.test(fields['root']) &&
    isCount(fields['streams'], 0, 2_147_483_647) &&
    typeof heads === 'object' &&
    heads !== null &&
    typeof heads['full'] === 'boolean' &&
    isCount(heads['parts'], 1, MAX_PARTS)
    ? (message as ChainAnchor)
    : undefined;
}
