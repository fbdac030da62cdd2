import { EntityManager } from 'typeorm';
import { Arrival, ContractMap, EventEnvelope, projection, StreamRowGapError } from '@conduct/messaging';

/**
 * Set-wise writing for the read models (docs/adr/0023-staged-read-model-rows.md). A handler that
 * wrote each change as it went cost one to three round trips per event, each planned and run on
 * its own, and a rollup trigger per change: two thirds of a rebuild. Instead, an inbox
 * transaction reads the rows its events touch in one statement (`load`, from onArrivals), its
 * handlers change them in memory, in stream order, and `write` (beforeCommit) sends back only the
 * rows that changed: one upsert and one INSERT per table, whatever the number of events. A row
 * changed by several events of the transaction is written once, in its final state, which the
 * rollups' triggers count as the same net change.
 *
 * Rows travel as JSON both ways (`to_jsonb` out, `jsonb_to_recordset` in), so a timestamp keeps
 * its microseconds and an array or a jsonb column comes back as it went.
 */

/** A row as `to_jsonb` gives it: timestamps as ISO text, arrays as arrays. */
export type Row = Record<string, unknown>;

/** A table whose rows a transaction stages: its key, and the columns handlers write with their types (the rest are filled by triggers). */
export interface StagedTableShape {
  table: string;
  key: string;
  columns: Record<string, string>;
  /** The column rows are read by (`load`): the key, or the stream the rows belong to. */
  loadBy?: string;
  /** A column of when the row was last written (processing time): set to now() by each UPDATE. */
  stampedAt?: string;
}

/** The rows of one table that one transaction read, added or changed. */
export class StagedTable<R extends Row = Row> {
  private readonly rows = new Map<string, R>();
  private readonly added = new Set<string>();
  private readonly changed = new Set<string>();

  constructor(readonly shape: StagedTableShape) {}

  /** Takes rows read from the table (by `loadRows`); one read already, or staged, is kept as it stands. */
  take(rows: readonly R[]): void {
    for (const row of rows) {
      const id = String(row[this.shape.key]);
      if (!this.rows.has(id)) this.rows.set(id, row);
    }
  }

  get(id: string): R | undefined {
    return this.rows.get(id);
  }

  /** Rows whose `column` is `value`, read or added. */
  where(column: string, value: unknown): R[] {
    return [...this.rows.values()].filter((row) => row[column] === value);
  }

  /** Adds a row unless one with its key is there already (as INSERT … ON CONFLICT DO NOTHING); answers whether it did. */
  add(row: R): boolean {
    const id = String(row[this.shape.key]);
    if (this.rows.has(id)) return false;
    this.rows.set(id, row);
    this.added.add(id);
    return true;
  }

  /** Changes a row read or added; `write` sends it back. */
  change(id: string, patch: Partial<R>): void {
    const row = this.rows.get(id);
    if (!row) throw new Error(`${this.shape.table} ${id} was neither read nor added in this transaction`);
    Object.assign(row, patch);
    if (!this.added.has(id)) this.changed.add(id);
  }

  /** Writes what changed and what was added: at most two statements. */
  async write(manager: EntityManager): Promise<void> {
    const { table, key, columns } = this.shape;
    const names = Object.keys(columns);
    const recordset = names.map((name) => `${name} ${columns[name]}`).join(', ');
    const rowsOf = (ids: Set<string>) => JSON.stringify([...ids].map((id) => pick(this.rows.get(id)!, names)));
    const insert = `INSERT INTO ${table} (${names.join(', ')}) SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r (${recordset})`;
    if (this.changed.size > 0) {
      // Rows that exist (read in this transaction), written as an upsert: it finds each by the key's
      // index, where an UPDATE … FROM the recordset was planned as a scan of the whole table.
      const assignments = names.filter((name) => name !== key).map((name) => `${name} = EXCLUDED.${name}`);
      if (this.shape.stampedAt) assignments.push(`${this.shape.stampedAt} = now()`);
      await manager.query(`${insert} ON CONFLICT (${key}) DO UPDATE SET ${assignments.join(', ')}`, [rowsOf(this.changed)]);
    }
    if (this.added.size > 0) await manager.query(`${insert} ON CONFLICT (${key}) DO NOTHING`, [rowsOf(this.added)]);
    this.added.clear();
    this.changed.clear();
  }
}

const pick = (row: Row, names: readonly string[]): Row => Object.fromEntries(names.map((name) => [name, row[name] ?? null]));

/**
 * Reads, in one statement, the rows of each table whose `loadBy` column is one of `ids`, and hands
 * them to the tables. Tables are named by their shape only: SQL is built from the shapes.
 */
export async function loadRows(manager: EntityManager, tables: readonly StagedTable[], ids: readonly string[]): Promise<void> {
  if (ids.length === 0 || tables.length === 0) return;
  const reads = tables.map(
    ({ shape }, index) => `SELECT ${index} AS t, to_jsonb(x) AS row FROM ${shape.table} x WHERE x.${shape.loadBy ?? shape.key} = ANY ($1::text[])`,
  );
  const found = await manager.query<{ t: number; row: Row }[]>(reads.join(' UNION ALL '), [ids]);
  tables.forEach((table, index) => table.take(found.filter((entry) => entry.t === index).map((entry) => entry.row)));
}

/**
 * Moves a stream's row on to the event's version, in memory, with `patch` (as moveStreamRow does
 * in SQL): a row at the version before moves and answers true; one at or past it has applied this
 * version already and stays; one further behind would skip a version, which throws (the event is
 * retried, then dead-lettered, and its stream waits visibly); no row, nothing to move.
 */
export function advanceRow<R extends Row>(
  table: StagedTable<R>,
  envelope: EventEnvelope<object>,
  patch: (row: R) => Partial<R> = () => ({}),
  versionColumn = 'version',
): boolean {
  const row = table.get(envelope.streamId);
  if (!row) return false;
  const at = row[versionColumn] as number;
  if (at >= envelope.streamVersion) return false;
  if (at < envelope.streamVersion - 1) throw new StreamRowGapError(table.shape.table, envelope, at);
  table.change(envelope.streamId, { ...patch(row), [versionColumn]: envelope.streamVersion });
  return true;
}

/**
 * The tables one read model stages in a transaction, read by stream (each stream once, whichever
 * handler asks first) and written in the order given: a table whose trigger reads another's row
 * comes after it.
 */
export abstract class Stage {
  private readonly read = new Set<string>();

  protected abstract tables(): readonly StagedTable[];

  /** Reads what the tables hold of the streams not read yet in this transaction; answers the stage. */
  async forStreams(manager: EntityManager, streamIds: readonly string[]): Promise<this> {
    const unread = [...new Set(streamIds)].filter((streamId) => !this.read.has(streamId));
    await loadRows(manager, this.tables(), unread);
    for (const streamId of unread) this.read.add(streamId);
    return this;
  }

  async write(manager: EntityManager): Promise<void> {
    for (const table of this.tables()) await table.write(manager);
  }
}

/**
 * A read model of one row per stream (`table`, its version in `version`) fed by `contracts`, staged:
 * what its handlers and hooks need, `on` the typed handler of an event type.
 */
export function stagedStreamRows<C extends ContractMap>(
  contracts: C,
  shape: StagedTableShape & { version: string },
  ownsType: (type: string) => boolean,
) {
  class RowStage extends Stage {
    readonly table = new StagedTable(shape);
    protected tables = () => [this.table];
  }
  const stages = new PerTransaction(() => new RowStage());
  const rows = async (manager: EntityManager, streamIds: readonly string[]) => (await stages.of(manager).forStreams(manager, streamIds)).table;
  return {
    on: projection(contracts, { table: shape.table, id: shape.key, version: shape.version }).on,
    rows,
    /** Moves the stream's row on to the event with `patch` (advanceRow); answers whether it moved. */
    advance: async (manager: EntityManager, envelope: EventEnvelope<object>, patch?: (row: Row) => Row): Promise<boolean> =>
      advanceRow(await rows(manager, [envelope.streamId]), envelope, patch, shape.version),
    /** The read model's onArrivals: reads the rows of the streams of its types at once. */
    onArrivals: async (arrivals: readonly Arrival[], manager: EntityManager): Promise<void> => {
      await rows(
        manager,
        arrivals.filter(({ envelope }) => ownsType(envelope.type)).map(({ envelope }) => envelope.streamId),
      );
    },
    /** The read model's beforeCommit. */
    beforeCommit: async (manager: EntityManager): Promise<void> => {
      await stages.take(manager)?.write(manager);
    },
  };
}

/**
 * What a read model stages in one transaction, found by the transaction's manager: handlers,
 * onArrivals and beforeCommit of an inbox transaction all receive the same one. `take` hands it
 * over for writing and forgets it.
 */
export class PerTransaction<T> {
  private readonly staged = new WeakMap<EntityManager, T>();

  constructor(private readonly create: () => T) {}

  of(manager: EntityManager): T {
    let staged = this.staged.get(manager);
    if (!staged) {
      staged = this.create();
      this.staged.set(manager, staged);
    }
    return staged;
  }

  take(manager: EntityManager): T | undefined {
    const staged = this.staged.get(manager);
    this.staged.delete(manager);
    return staged;
  }
}
