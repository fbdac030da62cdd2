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

/** Runs one statement on the server's `postgres` database: creating and dropping test databases. */
export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: `${testInfrastructure().postgresUrl}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
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
