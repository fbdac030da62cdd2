import { EntityManager } from 'typeorm';
import { Arrival, InboxHandler } from '@conduct/messaging';

/**
 * One read model of reporting-service. Read models live in a *generation*: a PostgreSQL schema
 * (`rm_g<N>`) holding every read model's tables and the generation's own inbox. A rebuild fills a
 * new generation from the beginning of the topics and switches queries over once it has caught up
 * (docs/adr/0008-read-model-generations.md).
 *
 * Everything here names tables unqualified: the consumer and the queries set `search_path` to the
 * generation's schema, so the same DDL and SQL serve every generation.
 */
export interface ReadModel {
  /** Short name, for logs and progress output. */
  name: string;
  /** CREATE TABLE / CREATE INDEX statements, run in order inside a new generation's schema. */
  ddl: string[];
  /**
   * Handlers by event type; a type several read models handle runs each handler in the same inbox
   * transaction. `handle` runs in stream order (each stream's versions once, one after the other;
   * an early one waits, parked). A read model that stages its rows (staged-rows.ts) changes them
   * in memory only: SQL of its own on those tables would be overwritten by `beforeCommit`.
   */
  handlers: Record<string, InboxHandler<object>>;
  /**
   * Brings a generation built by an older layout of this read model up to this one, in place: at
   * start, in a transaction with search_path set to the generation and under a lock that lets one
   * replica at a time through, before the rollups are brought to their layout. Must be idempotent
   * (the next start finds nothing to do); answers whether it changed anything.
   */
  upgrade?: (manager: EntityManager) => Promise<boolean>;
  /**
   * Runs once per inbox transaction with every event that arrived in it, as it came (parked and
   * stale ones too), before the handlers: for a trail of what arrived. Events of every type the
   * generation consumes are passed; keep those of the types you record.
   */
  onArrivals?: (arrivals: readonly Arrival[], manager: EntityManager) => Promise<void>;
  /**
   * Runs once per inbox transaction that applied anything, after every handler and before the
   * commit: writes what the read model's handlers staged in memory (staged-rows.ts).
   */
  beforeCommit?: (manager: EntityManager) => Promise<void>;
}

/** Runs each read model's `upgrade` in the caller's transaction (search_path set); answers whether any changed anything. */
export async function upgradeReadModels(models: readonly ReadModel[], manager: EntityManager): Promise<boolean> {
  let changed = false;
  for (const model of models) if (model.upgrade && (await model.upgrade(manager))) changed = true;
  return changed;
}
