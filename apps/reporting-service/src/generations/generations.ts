import { Kafka } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { InboxConsumer, MessagingLogger, Topics } from '@conduct/messaging';
import { combineArrivals, combineBeforeCommit, combineHandlers } from '../read-models/combine-handlers';
import { ReadModel, upgradeReadModels } from '../read-models/read-model';
import { compactRollupChanges, ensureRollups, FOLD_BATCH, foldRollupChanges, reportRollups } from '../read-models/report-rollups';
import { pastStamp } from './positions-stamp';

/** Every topic read models are fed from; a generation consumes all of them from the beginning. */
export const READ_MODEL_TOPICS: string[] = [Topics.approvals, Topics.cases, Topics.notifications];
/**
 * Partitions a generation's consumer applies at once. The read models write no row shared between
 * streams (the rollups' changes are insert-only for that reason), so partitions do not wait on one
 * another; while one waits for PostgreSQL, another's batch is parsed and validated (what it buys:
 * docs/performance.md, bench:rebuild). Four stay well within the service's pool of 20 connections,
 * beside the HTTP requests and a rebuild's own consumer.
 */
const READ_MODEL_PARTITIONS_CONCURRENTLY = 4;

/**
 * `snapshot`: rebuilt up to a report's positions stamp to reproduce it; read only on request
 * (`?generation=`), never followed by the live service.
 */
export type GenerationStatus = 'building' | 'active' | 'retired' | 'snapshot';

/** Snapshots kept: a new snapshot drops the oldest beyond this, and any older one of the same stamp. */
export const SNAPSHOTS_KEPT = 3;

export interface Generation {
  generation: number;
  schemaName: string;
  status: GenerationStatus;
  startedAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
  /** The positions stamp a snapshot was rebuilt to; null for the other generations. */
  reproduces: Positions | null;
}

/** Offset of the last event applied, by topic and partition. */
export type Positions = Record<string, Record<string, number>>;

export const generationSchema = (generation: number): string => `rm_g${generation}`;

/** The Kafka group of a generation: a rebuild commits its offsets there, the live service continues from them. */
export const generationGroupId = (groupPrefix: string | undefined, generation: number): string =>
  [groupPrefix, 'reporting-service', `g${generation}`].filter(Boolean).join('.');

/** Serializes creating, activating and dropping generations across processes (service replicas, the CLI). */
const REGISTRY_LOCK = `SELECT pg_advisory_xact_lock(hashtext('reporting-service read_model_generations'))`;

interface GenerationRow {
  generation: number;
  schema_name: string;
  status: GenerationStatus;
  started_at: Date;
  activated_at: Date | null;
  retired_at: Date | null;
  reproduces: Positions | null;
}

const toGeneration = (row: GenerationRow): Generation => ({
  generation: row.generation,
  schemaName: row.schema_name,
  status: row.status,
  startedAt: row.started_at.toISOString(),
  activatedAt: row.activated_at?.toISOString() ?? null,
  retiredAt: row.retired_at?.toISOString() ?? null,
  reproduces: row.reproduces,
});

/** Within a transaction whose search_path is a generation: where its consumer has got to. */
export async function readPositions(manager: Pick<EntityManager, 'query'>): Promise<Positions> {
  const rows: { topic: string; partition: number; offset: string }[] = await manager.query(
    `SELECT topic, partition, "offset"::text AS "offset" FROM positions ORDER BY topic, partition`,
  );
  const positions: Positions = {};
  for (const { topic, partition, offset } of rows) (positions[topic] ??= {})[String(partition)] = Number(offset);
  return positions;
}

/** A generation's own copies of the consumer's tables: its inbox and the stream order it keeps. */
const CONSUMER_TABLES = ['inbox', 'inbox_stream_versions', 'inbox_parked'];

/**
 * The trigger that keeps a generation's `positions` from its inbox, so positions commit with the
 * events they count: once per statement, with the highest offset per partition of the rows it
 * wrote (the inbox is written one statement per transaction). Per row, it was 60,000 updates of
 * the same few rows in a 60,000-event rebuild.
 */
const recordPositions = (schema: string): string[] => [
  `CREATE OR REPLACE FUNCTION ${schema}.record_position() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO ${schema}.positions (topic, partition, "offset")
     SELECT topic, partition, max("offset") FROM arrived GROUP BY topic, partition
     ON CONFLICT (topic, partition) DO UPDATE SET "offset" = GREATEST(${schema}.positions."offset", EXCLUDED."offset");
     RETURN NULL;
   END $$`,
  // A generation built before had it per row.
  `DROP TRIGGER IF EXISTS inbox_records_position ON ${schema}.inbox`,
  `CREATE TRIGGER inbox_records_position AFTER INSERT ON ${schema}.inbox REFERENCING NEW TABLE AS arrived
     FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.record_position()`,
];

/** Replaces a generation's row trigger of positions by the statement one; answers whether it had to. */
async function recordPositionsByStatement(manager: EntityManager, schema: string): Promise<boolean> {
  // Bit 0 of tgtype: a row trigger.
  const [{ perRow }] = await manager.query<[{ perRow: boolean }]>(
    `SELECT coalesce(bool_or(tgtype & 1 = 1), false) AS "perRow" FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = 'inbox_records_position'`,
    [`${schema}.inbox`],
  );
  if (!perRow) return false;
  for (const statement of recordPositions(schema)) await manager.query(statement);
  return true;
}

/**
 * The registry of read-model generations (table `read_model_generations`) and the schemas behind
 * it (docs/adr/0008-read-model-generations.md). A generation is a schema `rm_g<N>` with its own
 * inbox and stream order tables, a `positions` table the inbox keeps up to date by trigger, and
 * every read model's DDL.
 */
export class Generations {
  private readonly handlers;
  private readonly onArrivals;
  private readonly beforeCommit;

  constructor(
    private readonly dataSource: DataSource,
    readonly readModels: readonly ReadModel[],
  ) {
    this.handlers = combineHandlers(readModels);
    this.onArrivals = combineArrivals(readModels);
    this.beforeCommit = combineBeforeCommit(readModels);
  }

  async list(): Promise<Generation[]> {
    const rows: GenerationRow[] = await this.dataSource.query(`SELECT * FROM read_model_generations ORDER BY generation`);
    return rows.map(toGeneration);
  }

  async get(generation: number): Promise<Generation | undefined> {
    const rows: GenerationRow[] = await this.dataSource.query(`SELECT * FROM read_model_generations WHERE generation = $1`, [generation]);
    return rows[0] && toGeneration(rows[0]);
  }

  async active(): Promise<Generation | undefined> {
    const rows: GenerationRow[] = await this.dataSource.query(`SELECT * FROM read_model_generations WHERE status = 'active'`);
    return rows[0] && toGeneration(rows[0]);
  }

  /** The active generation; on a fresh database, generation 1 created empty and active (its consumer fills it). */
  ensureActive(): Promise<Generation> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(REGISTRY_LOCK);
      const rows: GenerationRow[] = await manager.query(`SELECT * FROM read_model_generations WHERE status = 'active'`);
      if (rows[0]) return toGeneration(rows[0]);
      return this.createIn(manager, 'active');
    });
  }

  /**
   * A new generation for a rebuild: schema and tables created, not yet read by queries. With
   * `reproduces` (a positions stamp) it is built to become a snapshot of that stamp.
   */
  createBuilding(reproduces?: Positions): Promise<Generation> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(REGISTRY_LOCK);
      return this.createIn(manager, 'building', reproduces);
    });
  }

  /** Switches queries to `generation` and retires the one they read until now, atomically. */
  async activate(generation: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(REGISTRY_LOCK);
      // Retire first: the partial unique index allows one active row at any moment.
      await manager.query(`UPDATE read_model_generations SET status = 'retired', retired_at = now() WHERE status = 'active'`);
      const [, activated]: [unknown, number] = await manager.query(
        `UPDATE read_model_generations SET status = 'active', activated_at = now() WHERE generation = $1 AND status = 'building' AND reproduces IS NULL`,
        [generation],
      );
      if (activated !== 1) throw new Error(`generation ${generation} is not being built, so it cannot be activated`);
    });
  }

  /** Keeps a finished rebuild up to a stamp as a snapshot: readable on request, never made active. */
  async keepAsSnapshot(generation: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(REGISTRY_LOCK);
      const [, kept]: [unknown, number] = await manager.query(
        `UPDATE read_model_generations SET status = 'snapshot' WHERE generation = $1 AND status = 'building' AND reproduces IS NOT NULL`,
        [generation],
      );
      if (kept !== 1) throw new Error(`generation ${generation} is not being built to a stamp, so it cannot become a snapshot`);
    });
  }

  /**
   * Drops snapshots replaced by newer ones: beyond the `keep` newest, and any with the same stamp
   * as a newer one (the same report reproduced again). Returns the generations dropped.
   */
  async dropReplacedSnapshots(keep: number = SNAPSHOTS_KEPT): Promise<number[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(REGISTRY_LOCK);
      const rows: GenerationRow[] = await manager.query(
        `SELECT * FROM read_model_generations old
          WHERE status = 'snapshot'
            AND (generation NOT IN (SELECT generation FROM read_model_generations WHERE status = 'snapshot' ORDER BY generation DESC LIMIT $1)
                 OR EXISTS (SELECT 1 FROM read_model_generations newer
                             WHERE newer.status = 'snapshot' AND newer.generation > old.generation AND newer.reproduces = old.reproduces))
          ORDER BY generation`,
        [keep],
      );
      return this.dropIn(manager, rows);
    });
  }

  /**
   * Drops generations no query can read any more: building ones left by an abandoned rebuild
   * (`abandonedBuilds`) and retired ones older than `keepFrom` (the previous generation stays,
   * to look at or to switch back to). Snapshots are never dropped here: only newer snapshots
   * replace them (dropReplacedSnapshots). Returns the generations dropped.
   */
  async dropObsolete({ keepFrom, abandonedBuilds = false }: { keepFrom: number; abandonedBuilds?: boolean }): Promise<number[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(REGISTRY_LOCK);
      const rows: GenerationRow[] = await manager.query(
        `SELECT * FROM read_model_generations
          WHERE (status = 'retired' AND generation < $1) OR (status = 'building' AND $2)
          ORDER BY generation`,
        [keepFrom, abandonedBuilds],
      );
      return this.dropIn(manager, rows);
    });
  }

  private async dropIn(manager: EntityManager, rows: GenerationRow[]): Promise<number[]> {
    for (const row of rows) {
      await manager.query(`DROP SCHEMA IF EXISTS ${generationSchema(row.generation)} CASCADE`);
      await manager.query(`DELETE FROM read_model_generations WHERE generation = $1`, [row.generation]);
    }
    return rows.map((row) => row.generation);
  }

  /**
   * Brings generations built by an older version up to this one's read models: each read model's
   * own `upgrade`, then the report rollups (counted from the rows as they stand). Answers the
   * generations it changed.
   */
  async upgradeAll(): Promise<number[]> {
    const upgraded: number[] = [];
    for (const generation of await this.list()) {
      const changed = await this.dataSource.transaction(async (manager) => {
        // Replicas starting together upgrade one at a time: the second finds nothing left to do.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1 || ' read model upgrade'))`, [generation.schemaName]);
        await manager.query(`SET LOCAL search_path TO ${generation.schemaName}, public`);
        const positionsByStatement = await recordPositionsByStatement(manager, generation.schemaName);
        return (await upgradeReadModels(this.readModels, manager)) || positionsByStatement;
      });
      const rolledUp = this.readModels.includes(reportRollups) && (await ensureRollups(this.dataSource.manager, generation.schemaName));
      if (changed || rolledUp) upgraded.push(generation.generation);
    }
    return upgraded;
  }

  /** Folds a generation's pending rollup changes into its rollups; answers how many it folded. */
  async foldRollups(generation: number): Promise<number> {
    if (!this.readModels.includes(reportRollups)) return 0;
    let total = 0;
    for (;;) {
      const folded = await foldRollupChanges(this.dataSource.manager, generationSchema(generation));
      total += folded;
      if (folded < FOLD_BATCH) {
        await compactRollupChanges(this.dataSource.manager, generationSchema(generation));
        return total;
      }
    }
  }

  /** Positions of a generation's consumer (offset of the last event applied). */
  positions(generation: number): Promise<Positions> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL search_path TO ${generationSchema(generation)}, public`);
      return readPositions(manager);
    });
  }

  /**
   * The consumer that fills a generation from the beginning of the topics and keeps it current;
   * with `until` (a positions stamp) it takes in each partition only up to the stamp's offset.
   * It applies each stream in version order: an event that comes before an earlier one of its
   * stream waits for it (parked), where a row's version guard would have dropped it for good.
   */
  consumer(options: {
    kafka: Kafka;
    groupPrefix: string | undefined;
    generation: number;
    until?: Positions;
    logger?: MessagingLogger;
  }): InboxConsumer {
    return new InboxConsumer({
      kafka: options.kafka,
      dataSource: this.dataSource,
      groupId: generationGroupId(options.groupPrefix, options.generation),
      // Each generation has its own inbox; the name keeps the metrics of generations apart.
      consumerName: `read-models-g${options.generation}`,
      topics: READ_MODEL_TOPICS,
      handlers: this.handlers,
      ...(this.onArrivals ? { onArrivals: this.onArrivals } : {}),
      ...(this.beforeCommit ? { beforeCommit: this.beforeCommit } : {}),
      fromBeginning: true,
      searchPath: generationSchema(options.generation),
      inStreamOrder: true,
      partitionsConcurrently: READ_MODEL_PARTITIONS_CONCURRENTLY,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.until ? { stopBefore: pastStamp(options.until) } : {}),
    });
  }

  private async createIn(manager: EntityManager, status: 'building' | 'active', reproduces?: Positions): Promise<Generation> {
    const [{ next }]: [{ next: number }] = await manager.query(`SELECT coalesce(max(generation), 0) + 1 AS next FROM read_model_generations`);
    const schema = generationSchema(next);
    const rows: GenerationRow[] = await manager.query(
      `INSERT INTO read_model_generations (generation, schema_name, status, activated_at, reproduces)
       VALUES ($1, $2, $3, CASE WHEN $3 = 'active' THEN now() END, $4) RETURNING *`,
      [next, schema, status, reproduces ? JSON.stringify(reproduces) : null],
    );
    await manager.query(`CREATE SCHEMA ${schema}`);
    await manager.query(`SET LOCAL search_path TO ${schema}, public`);
    for (const table of CONSUMER_TABLES) await manager.query(`CREATE TABLE ${table} (LIKE public.${table} INCLUDING ALL)`);
    await manager.query(
      `CREATE TABLE positions (topic text NOT NULL, partition integer NOT NULL, "offset" bigint NOT NULL, PRIMARY KEY (topic, partition))`,
    );
    for (const statement of recordPositions(schema)) await manager.query(statement);
    for (const model of this.readModels) for (const statement of model.ddl) await manager.query(statement);
    return toGeneration(rows[0]!);
  }
}
