import { createTestDatabase, TestDatabase } from '@conduct/testing';
import { SeedStreamVersions1764000000301 } from './1764000000301-seed-stream-versions';
import { messagingMigrations } from '.';

jest.setTimeout(60_000);

/*
 * A database whose consumers ran with version guards: their inboxes hold what they applied, and
 * no stream versions. After the migration each stream stands at the highest version its
 * consumer's inbox holds, so the next event applies instead of waiting forever.
 */
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase(
    messagingMigrations.filter((migration) => migration !== SeedStreamVersions1764000000301),
    'messaging_seed_stream_versions',
  );
  const rows: [string, string, number][] = [
    ['cases-list', 'case-a', 1],
    ['cases-list', 'case-a', 2],
    ['cases-list', 'case-a', 4], // v3 came after v4: the guard dropped it
    ['cases-list', 'case-b', 1],
    ['approvals-list', 'case-a', 2],
  ];
  for (const [consumer, stream, version] of rows) {
    await database.dataSource.query(
      `INSERT INTO inbox (consumer, event_id, type, stream_id, stream_version, topic, partition, "offset") VALUES ($1, gen_random_uuid(), 'SomeEvent', $2, $3, 'conduct.cases.v1', 0, $4)`,
      [consumer, stream, version, version],
    );
  }
  // A stream that a consumer in stream order already follows keeps its (later) version.
  await database.dataSource.query(`INSERT INTO inbox_stream_versions (consumer, stream_id, version) VALUES ('cases-list', 'case-b', 3)`);
});

afterAll(async () => {
  await database?.drop();
});

it('sets each stream of each consumer at the highest version its inbox holds, keeping a later one', async () => {
  const runner = database.dataSource.createQueryRunner();
  try {
    await new SeedStreamVersions1764000000301().up(runner);
  } finally {
    await runner.release();
  }
  expect(await database.dataSource.query('SELECT consumer, stream_id, version FROM inbox_stream_versions ORDER BY consumer, stream_id')).toEqual([
    { consumer: 'approvals-list', stream_id: 'case-a', version: 2 },
    { consumer: 'cases-list', stream_id: 'case-a', version: 4 },
    { consumer: 'cases-list', stream_id: 'case-b', version: 3 },
  ]);
});
