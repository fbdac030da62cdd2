import { randomUUID } from 'node:crypto';
import { serviceMigrations } from '@conduct/event-sourcing';
import { createTestDatabase, TestDatabase } from '@conduct/testing';
import { reportingMigrations } from '../migrations';
import { readModels } from '../read-models';
import { Generations } from './generations';

/*
 * A generation's `positions` (the offset of the last event applied, per partition) are kept by a
 * trigger on its inbox, once per statement; a generation built when it ran per row gets it replaced.
 */

let database: TestDatabase;
let generations: Generations;

beforeAll(async () => {
  database = await createTestDatabase(serviceMigrations(reportingMigrations), 'reporting_positions');
  generations = new Generations(database.dataSource, readModels);
});
afterAll(async () => {
  await database?.drop();
});

/** Inbox rows at these offsets of one topic, partition → offsets, written in one statement as the inbox applier does. */
async function arrive(schema: string, offsets: Record<number, number[]>): Promise<void> {
  const rows = Object.entries(offsets).flatMap(([partition, list]) => list.map((offset) => [randomUUID(), Number(partition), offset] as const));
  await database.dataSource.query(
    `INSERT INTO ${schema}.inbox (consumer, event_id, type, stream_id, stream_version, topic, partition, "offset")
     SELECT 'positions-test', id, 'NoteAdded', 'case-1', 1, 'topic-a', p, o FROM unnest($1::uuid[], $2::int[], $3::bigint[]) AS r (id, p, o)`,
    [rows.map((row) => row[0]), rows.map((row) => row[1]), rows.map((row) => row[2])],
  );
}

const positions = (schema: string) =>
  database.dataSource.query<{ partition: number; offset: string }[]>(
    `SELECT partition, "offset"::text AS "offset" FROM ${schema}.positions WHERE topic = 'topic-a' ORDER BY partition`,
  );

const perRowTriggers = async (schema: string) =>
  (
    await database.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = 'inbox_records_position' AND tgtype & 1 = 1`,
      [`${schema}.inbox`],
    )
  )[0]!.n;

it('keeps the highest offset applied per partition, whatever the order within a statement, and never goes back', async () => {
  const { schemaName } = await generations.createBuilding();
  await arrive(schemaName, { 0: [5, 9, 7], 1: [3] });
  expect(await positions(schemaName)).toEqual([
    { partition: 0, offset: '9' },
    { partition: 1, offset: '3' },
  ]);
  // A redelivery of older offsets (another consumer's rows here) does not move a partition back.
  await arrive(schemaName, { 0: [2], 1: [4, 12] });
  expect(await positions(schemaName)).toEqual([
    { partition: 0, offset: '9' },
    { partition: 1, offset: '12' },
  ]);
});

it('replaces the row trigger of a generation built before, once, and keeps its positions', async () => {
  const { schemaName, generation } = await generations.createBuilding();
  // The trigger as generations were built with it: one upsert per inbox row.
  await database.dataSource.query(`
    CREATE OR REPLACE FUNCTION ${schemaName}.record_position() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO ${schemaName}.positions (topic, partition, "offset") VALUES (NEW.topic, NEW.partition, NEW."offset")
      ON CONFLICT (topic, partition) DO UPDATE SET "offset" = GREATEST(${schemaName}.positions."offset", EXCLUDED."offset");
      RETURN NULL;
    END $$`);
  await database.dataSource.query(`DROP TRIGGER inbox_records_position ON ${schemaName}.inbox`);
  await database.dataSource.query(
    `CREATE TRIGGER inbox_records_position AFTER INSERT ON ${schemaName}.inbox FOR EACH ROW EXECUTE FUNCTION ${schemaName}.record_position()`,
  );
  await arrive(schemaName, { 0: [1, 4] });
  expect(await perRowTriggers(schemaName)).toBe(1);

  expect(await generations.upgradeAll()).toContain(generation);
  expect(await perRowTriggers(schemaName)).toBe(0);
  expect(await generations.upgradeAll()).not.toContain(generation);
  await arrive(schemaName, { 0: [6], 2: [8] });
  expect(await positions(schemaName)).toEqual([
    { partition: 0, offset: '6' },
    { partition: 2, offset: '8' },
  ]);
});
