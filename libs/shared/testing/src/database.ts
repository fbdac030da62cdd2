import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, MixedList } from 'typeorm';
import { testInfrastructure } from './infra';

export interface TestDatabase {
  name: string;
  url: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

/** Runs `work` with a client connected to `url`, and closes it whatever happens. */
export async function withDatabaseClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Runs one statement on a server's `postgres` database (the test run's, unless a fault test names
 * its own): creating and dropping test databases.
 */
export async function adminQuery(sql: string, postgresUrl = testInfrastructure().postgresUrl): Promise<void> {
  await withDatabaseClient(`${postgresUrl}/postgres`, (client) => client.query(sql));
}

/**
 * A fresh database per test file, migrated with the given migrations, so tests never share
 * state and may run in parallel. `drop()` removes it.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export async function createTestDatabase(migrations: MixedList<Function | string>, prefix = 'test'): Promise<TestDatabase> {
  const name = `conduct_${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = `${testInfrastructure().postgresUrl}/${name}`;
  const dataSource = new DataSource({ type: 'postgres', url, migrations, migrationsRun: false, logging: false });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    name,
    url,
    dataSource,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
