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

  /** Applies one message of the anchors topic (anything else on it is skipped), unless this partition is past it. */
  async apply(partition: number, offset: string, value: Buffer | null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [position] = await manager.query<
        {
          next: string;
        }[]
      >(`SELECT next_offset::text AS next FROM anchor_positions WHERE partition = $1 FOR UPDATE`, [partition]);
      if (position && BigInt(offset) < BigInt(position.next)) return;
      const message = parse(value);
      if (!message) this.logger.warn({ partition, offset }, 'skipped a message of conduct.anchors.v1 that is neither an anchor nor its heads');
      else if ('kind' in message) await this.keepPart(manager, message);
      else await this.applyAnchor(manager, message);
      await manager.query(
        `INSERT INTO anchor_positions (partition, next_offset) VALUES ($1, $2::bigint + 1)
         ON CONFLICT (partition) DO UPDATE SET next_offset = EXCLUDED.next_offset`,
        [partition, offset],
      );
    });
  }

  private async keepPart(manager: EntityManager, part: AnchorHeads): Promise<void> {
    await manager.query(
      `INSERT INTO anchor_head_parts (service, store, anchored_at, part, full_set, heads) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT DO NOTHING`,
      [part.service, part.store, part.anchoredAt, part.part, part.full, JSON.stringify(part.heads)],
    );
  }

  private async applyAnchor(manager: EntityManager, anchor: ChainAnchor): Promise<void> {
    const key = [anchor.service, anchor.store];
    const parts = await manager.query<{ part: number; full_set: boolean }[]>(
      `SELECT part, full_set FROM anchor_head_parts WHERE service = $1 AND store = $2 AND anchored_at = $3 ORDER BY part`,
      [...key, anchor.anchoredAt],
    );
    const complete = parts.length === anchor.heads.parts && parts.every((part, index) => part.part === index + 1);
    if (complete) {
      if (anchor.heads.full) await manager.query(`DELETE FROM anchor_heads WHERE service = $1 AND store = $2`, key);
      // A head never goes back: an older anchor of another replica, applied late, leaves the newer.
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
    // Parts of this anchor, and of earlier ones that never came (their heads come again with a later one).
    await manager.query(`DELETE FROM anchor_head_parts WHERE service = $1 AND store = $2 AND anchored_at <= $3`, [...key, anchor.anchoredAt]);
    const heads = await this.heads(manager, anchor.service, anchor.store);
    const root = merkleRoot(heads.map(leafOf));
    if (!complete || root !== anchor.root || heads.length !== anchor.streams) {
      unmatched().inc({ service: anchor.service });
      this.logger.warn(
        {
          anchor: { service: anchor.service, store: anchor.store, anchoredAt: anchor.anchoredAt, root: anchor.root },
          held: { root, streams: heads.length },
          complete,
        },
        'the heads held do not give the root of this anchor: dossiers keep proving against the last one that matched',
      );
      return;
    }
    await manager.query(
      `INSERT INTO held_anchors (service, store, anchor, anchored_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (service, store) DO UPDATE SET anchor = EXCLUDED.anchor, anchored_at = EXCLUDED.anchored_at, received_at = now()
        WHERE held_anchors.anchored_at <= EXCLUDED.anchored_at`,
      [...key, JSON.stringify(anchor), anchor.anchoredAt],
    );
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
const isHead = (head: unknown): boolean =>
  Array.isArray(head) &&
  head.length === 3 &&
  typeof head[0] === 'string' &&
  Number.isInteger(head[1]) &&
  (head[1] as number) > 0 &&
  (head[1] as number) <= 2_147_483_647 &&
  typeof head[2] === 'string' &&
  /^[0-9a-f]{64}$/.test(head[2]);

/** An anchor (with a store: older ones carry no heads) or a part of one; undefined for anything else. */
function parse(value: Buffer | null): ChainAnchor | AnchorHeads | undefined {
  if (!value) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const fields = message as Record<string, unknown>;
  const text = (name: string) => typeof fields[name] === 'string';
  if (!text('service') || !UUID.test(String(fields['store'])) || !text('anchoredAt')) return undefined;
  if (fields['kind'] === 'anchor-heads')
    return Number.isInteger(fields['part']) &&
      Number.isInteger(fields['parts']) &&
      typeof fields['full'] === 'boolean' &&
      Array.isArray(fields['heads']) &&
      fields['heads'].every(isHead)
      ? (message as AnchorHeads)
      : undefined;
  const heads = fields['heads'] as Record<string, unknown> | undefined;
  return text('root') && Number.isInteger(fields['streams']) && typeof heads === 'object' && heads !== null && Number.isInteger(heads['parts'])
    ? (message as ChainAnchor)
    : undefined;
}
