import { serviceMigrations } from '@conduct/event-sourcing';
import { createTestDatabase, TestDatabase } from '@conduct/testing';
import { AddStreamOrderToGenerations1764000400000 } from './1764000400000-add-stream-order-to-generations';
import { reportingMigrations } from '.';

jest.setTimeout(60_000);

/*
 * A database from before stream order: generations whose schema holds an inbox but no stream
 * order tables. After the migration each has them, its streams standing where its inbox says.
 */

let database: TestDatabase;

beforeAll(async () => {
  const before = reportingMigrations.filter((migration) => migration !== AddStreamOrderToGenerations1764000400000);
  database = await createTestDatabase(serviceMigrations(before), 'reporting_stream_order_migration');
  for (const generation of [1, 2]) {
    await database.dataSource.query(`INSERT INTO read_model_generations (generation, schema_name, status) VALUES ($1, $2, $3)`, [
      generation,
      `rm_g${generation}`,
      generation === 1 ? 'retired' : 'active',
    ]);
    await database.dataSource.query(`CREATE SCHEMA rm_g${generation}`);
    await database.dataSource.query(`CREATE TABLE rm_g${generation}.inbox (LIKE public.inbox INCLUDING ALL)`);
  }
  // Generation 2 took v1, v2 and v4 of case-a (v3 came after v4: the guard dropped it) and v1 of notice-b.
  for (const [stream, version] of [
    ['case-a', 1],
    ['case-a', 2],
    ['case-a', 4],
    ['case-a', 3],
    ['notice-b', 1],
  ] as const) {
    await database.dataSource.query(
      `INSERT INTO rm_g2.inbox (consumer, event_id, type, stream_id, stream_version, topic, partition, "offset")
       VALUES ('read-models-g2', gen_random_uuid(), 'SomeEvent', $1, $2, 'conduct.cases.v1', 0, $3)`,
      [stream, version, version],
    );
  }
});

afterAll(async () => {
  await database?.drop();
});

it('gives every generation its stream order tables, each stream at the highest version its inbox holds', async () => {
  const runner = database.dataSource.createQueryRunner();
  try {
    await new AddStreamOrderToGenerations1764000400000().up(runner);
  } finally {
    await runner.release();
  }

  const { length } = await database.dataSource.query<{ table_schema: string }[]>(
    `SELECT table_schema FROM information_schema.tables WHERE table_name IN ('inbox_stream_versions', 'inbox_parked') AND table_schema IN ('rm_g1', 'rm_g2')`,
  );
  expect(length).toBe(4);
  expect(await database.dataSource.query('SELECT * FROM rm_g1.inbox_stream_versions')).toEqual([]);
  expect(await database.dataSource.query('SELECT consumer, stream_id, version FROM rm_g2.inbox_stream_versions ORDER BY stream_id')).toEqual([
    { consumer: 'read-models-g2', stream_id: 'case-a', version: 4 },
    { consumer: 'read-models-g2', stream_id: 'notice-b', version: 1 },
  ]);
});
