import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@conduct/messaging';

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
 * version, `values` from $3). The generation's consumer applies each stream in version order
 * (inStreamOrder), so the row stands at the version before. A row already at or past the version
 * has applied this very version (handlers run outside the consumer, e.g. twice): it changes
 * nothing. A row further behind would skip a version: that throws, so the event is retried, then
 * dead-lettered, and its stream waits, visibly. A stream with no row (its first event is not
 * this read model's) has nothing to move. Returns whether the row moved.
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
