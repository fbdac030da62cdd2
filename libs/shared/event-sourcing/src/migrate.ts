import { DataSource, Migration } from 'typeorm';
import { ConfigValidationError } from '@conduct/config';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

/** The lock's key: one per database, whichever service or tool migrates it. */
const MIGRATION_LOCK = 'conduct.migrations';

/**
 * Runs the data source's pending migrations, one process at a time per database: replicas that
 * start together on a fresh database would otherwise both create the same tables, and one of them
 * fail. A session advisory lock on a connection of its own is held while TypeORM migrates on
 * others; whoever gets it second finds nothing left to do.
 */
export async function migrateUnderLock(dataSource: DataSource, thenUnderLock?: () => Promise<void>): Promise<Migration[]> {
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      await thenUnderLock?.();
      return applied;
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
    }
  } finally {
    await lockHolder.release();
  }
}

/**
 * Migrates a service's database before it serves (ADR 19). With `ownerUrl` the migrations run as
 * the database's owner, over a connection of their own, and the owner then grants the role that
 * `dataSource` connects as what a service needs, which on `events` is SELECT and INSERT only.
 * Without it they run on `dataSource` itself (a local run connected as the owner).
 */
export async function migrateServiceDatabase(dataSource: DataSource, ownerUrl: string | undefined): Promise<void> {
  if (!ownerUrl) {
    await migrateUnderLock(dataSource);
    return;
  }
  // A restart of a database already migrated and granted needs no owner's connection: a replica
  // must take commands within seconds of starting.
  if (await migratedAndGranted(dataSource)) return;
  const owner = await new DataSource({ ...(dataSource.options as PostgresDataSourceOptions), url: ownerUrl, extra: { max: 2 } }).initialize();
  try {
    const [{ role }] = await dataSource.query<[{ role: string }]>('SELECT current_user AS role');
    // Under the lock too: replicas granting the same objects at once fail ("tuple concurrently updated").
    await migrateUnderLock(owner, () => grantServiceRole(owner, role));
  } finally {
    await owner.destroy();
  }
}

/** True when every migration of `dataSource` has run and its role may append events: nothing for the owner to do. */
async function migratedAndGranted(dataSource: DataSource): Promise<boolean> {
  const [tables] = await dataSource.query<[{ migrations: string | null; events: string | null }]>(
    `SELECT to_regclass('public.migrations')::text AS migrations, to_regclass('public.events')::text AS events`,
  );
  if (!tables.migrations || !tables.events) return false;
  const [{ granted }] = await dataSource.query<[{ granted: boolean }]>(
    `SELECT has_table_privilege('public.migrations', 'SELECT') AND has_table_privilege('public.events', 'INSERT') AS granted`,
  );
  if (!granted) return false;
  const ran = new Set((await dataSource.query<{ name: string }[]>('SELECT name FROM migrations')).map((row) => row.name));
  return dataSource.migrations.every((migration) => ran.has(migration.name ?? migration.constructor.name));
}

/**
 * Grants a service's role, as the owner, what the service does with its database: rows of every
 * table, their sequences, and schemas of its own (reporting-service builds each read-model
 * generation in one); on `events` only SELECT and INSERT. Run after every migration, so that new
 * tables are covered; what the owner creates later (a rebuild run as the owner) is covered by
 * default privileges. Granting again is harmless.
 */
export async function grantServiceRole(owner: DataSource, role: string): Promise<void> {
  const [names] = await owner.query<[{ database: string; grantee: string; owner: string }]>(
    'SELECT quote_ident(current_database()) AS database, quote_ident($1) AS grantee, current_user AS owner',
    [role],
  );
  if (role === names.owner) return;
  const { database, grantee } = names;
  // public, and the schemas of read-model generations built before the role was split off.
  const schemas = await owner.query<{ schema: string }[]>(
    `SELECT quote_ident(nspname) AS schema FROM pg_namespace
      WHERE left(nspname, 3) <> 'pg_' AND nspname <> 'information_schema' AND has_schema_privilege(nspname, 'USAGE')`,
  );
  await owner.transaction(async (manager) => {
    await manager.query(`GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${database} TO ${grantee}`);
    for (const { schema } of schemas) {
      await manager.query(`GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${grantee}`);
      await manager.query(`GRANT ALL ON ALL TABLES IN SCHEMA ${schema} TO ${grantee}`);
      await manager.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA ${schema} TO ${grantee}`);
    }
    await manager.query(`ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO ${grantee}`);
    await manager.query(`ALTER DEFAULT PRIVILEGES GRANT ALL ON SEQUENCES TO ${grantee}`);
    await manager.query(`ALTER DEFAULT PRIVILEGES GRANT USAGE, CREATE ON SCHEMAS TO ${grantee}`);
    await manager.query(`REVOKE ALL ON events FROM ${grantee}`);
    await manager.query(`GRANT SELECT, INSERT ON events TO ${grantee}`);
  });
}

/** What the connected role may do to stored events beyond reading and appending: nothing, in production. */
export async function eventChangesAllowed(dataSource: DataSource): Promise<string[]> {
  const rows = await dataSource.query<{ privilege: string }[]>(
    `SELECT privilege FROM unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) AS privilege WHERE has_table_privilege(current_user, 'events', privilege)`,
  );
  return rows.map((row) => row.privilege);
}

/**
 * Production refuses a service whose role may change stored events (ADR 19): the append-only
 * trigger is the last guard, not the only one.
 */
export async function refuseChangeableEvents(dataSource: DataSource): Promise<void> {
  const allowed = await eventChangesAllowed(dataSource);
  if (allowed.length === 0) return;
  throw new ConfigValidationError([
    {
      variable: 'DATABASE_URL',
      reason:
        `DATABASE_URL connects as a role that may ${allowed.join(', ')} events: in production a service connects as a role with ` +
        'SELECT and INSERT only on events, and the migrations run as the owner (DATABASE_MIGRATION_URL; docs/security.md)',
    },
  ]);
}
