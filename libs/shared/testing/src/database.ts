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

/** The role services connect as in tests and local runs (ADR 19): SELECT and INSERT only on events. */
export const SERVICE_ROLE = 'conduct_service';
const serviceRoles = new Map<string, Promise<void>>();

/**
 * The URL of `database` as the services' own role, which is created on the server the first time
 * (with a password, for servers that ask for one). The migrations run as the owner (the URL the
 * test run was given) and grant it what a service needs.
 */
export async function serviceRoleUrl(postgresUrl: string, database: string): Promise<string> {
  if (!serviceRoles.has(postgresUrl)) {
    // Test files in other processes may create it at the same moment: either error means it exists.
    const created = adminQuery(
      `DO $$ BEGIN CREATE ROLE ${SERVICE_ROLE} LOGIN PASSWORD '${SERVICE_ROLE}'; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
      postgresUrl,
    );
    serviceRoles.set(postgresUrl, created);
    created.catch(() => serviceRoles.delete(postgresUrl));
  }
  await serviceRoles.get(postgresUrl);
  const url = new URL(`${postgresUrl}/${database}`);
  url.username = SERVICE_ROLE;
  url.password = SERVICE_ROLE;
  return url.toString();
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

/**
 * Runs `sql` against the events table as the administrator who owns it and sets out to rewrite
 * history: the append-only trigger is switched off for the statement and on again. Only tests have
 * a reason to: of tamper detection, or of reads that need events recorded at given times.
 */
export async function rewriteEventsAsOwner<T>(
  db: { query: (text: string, values?: unknown[]) => Promise<T> },
  sql: string,
  values: unknown[] = [],
): Promise<T> {
  await db.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
  try {
    return await db.query(sql, values);
  } finally {
    await db.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
  }
}
