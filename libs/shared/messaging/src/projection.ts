import { EntityManager } from 'typeorm';
import { EventEnvelope, EventRow } from './envelope';
import { ContractMap, handlerFor, InboxHandler } from './inbox-handler';
import { RelayRoute } from './outbox-relay';

/** A read-model table with one row per stream: its key column and the column of the last version applied. */
export interface StreamRowTable {
  table: string;
  id: string;
  version: string;
}

/** A row that stands more than one version behind the event: applying it would skip a version. */
export class StreamRowGapError extends Error {
  constructor(table: string, envelope: EventEnvelope<object>, at: number) {
    super(`${table} ${envelope.streamId} stands at v${at}: applying ${envelope.type} v${envelope.streamVersion} would skip v${at + 1}`);
    this.name = 'StreamRowGapError';
  }
}

/**
 * Moves a stream's row on to the event's version, with `assignments` ($1 is the stream id, $2 the
 * version, `values` from $3). Consumers of such tables apply each stream in version order
 * (inStreamOrder), so the row stands at the version before. A row already at or past the version
 * has applied this very version (a handler run twice, outside the inbox): it changes nothing. A
 * row further behind would skip a version: that throws, so the event is retried, then
 * dead-lettered, and its stream waits, visibly, instead of losing an event for good. A stream
 * with no row (its first event is not this read model's) has nothing to move. Returns whether
 * the row moved.
 */
export async function moveStreamRow(
  manager: EntityManager,
  { table, id, version }: StreamRowTable,
  envelope: EventEnvelope<object>,
  assignments: string | undefined,
  values: unknown[] = [],
): Promise<boolean> {
  // TypeORM answers an UPDATE with [rows, affected count].
  const [, moved]: [unknown, number] = await manager.query(
    `UPDATE ${table} SET ${assignments ? `${assignments}, ` : ''}${version} = $2 WHERE ${id} = $1 AND ${version} = $2::integer - 1`,
    [envelope.streamId, envelope.streamVersion, ...values],
  );
  if (moved > 0) return true;
  const [row] = await manager.query<{ at: number }[]>(`SELECT ${version} AS at FROM ${table} WHERE ${id} = $1`, [envelope.streamId]);
  if (row && row.at < envelope.streamVersion - 1) throw new StreamRowGapError(table, envelope, row.at);
  return false;
}

/** What a handler of event type K of a contract map receives. */
export type ProjectionHandle<C extends ContractMap, K extends keyof C & string> = Parameters<typeof handlerFor<C, K>>[2];

export interface Projection<C extends ContractMap> {
  /** A handler of one event type, its data typed and validated by the type's contract. */
  on<K extends keyof C & string>(type: K, handle: ProjectionHandle<C, K>): InboxHandler<object>;
  /** Moves the stream's row of `table` on to the event (moveStreamRow); answers whether it moved. */
  move(manager: EntityManager, envelope: EventEnvelope<object>, assignments?: string, values?: unknown[]): Promise<boolean>;
  /** A handler for an event that changes nothing in the row but its version. */
  versionOnly(envelope: EventEnvelope<object>, manager: EntityManager): Promise<void>;
}

/**
 * A read model fed from the events of one contract map into a table with one row per stream:
 * what every projection needs, written once.
 */
export function projection<C extends ContractMap>(contracts: C, table: StreamRowTable): Projection<C> {
  const move = (manager: EntityManager, envelope: EventEnvelope<object>, assignments?: string, values: unknown[] = []) =>
    moveStreamRow(manager, table, envelope, assignments, values);
  return {
    on: (type, handle) => handlerFor(contracts, type, handle),
    move,
    versionOnly: async (envelope, manager) => {
      await move(manager, envelope);
    },
  };
}

/** The relay route of a service: every event with a contract goes to `topic`; anything else stays private. */
export const routeContracts =
  (contracts: ContractMap, topic: string) =>
  (row: EventRow): RelayRoute =>
    Object.hasOwn(contracts, row.type) ? { topic } : null;
