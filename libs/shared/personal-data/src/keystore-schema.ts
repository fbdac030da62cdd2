import { Client, Pool } from 'pg';
import { DEVELOPMENT_PERSONAL_DATA_KEY, KEYSTORE_DATABASE } from '@conduct/config';
import { PersonalDataKeys } from './keystore';

/** The keystore's one table. A key is deleted by nulling it (the row stays: when, and that it was). */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS person_keys (
    key_id      uuid        PRIMARY KEY,
    person      text        NOT NULL,
    wrapped_key bytea,
    created_at  timestamptz NOT NULL DEFAULT now(),
    erased_at   timestamptz,
    CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
  );
  CREATE UNIQUE INDEX IF NOT EXISTS person_keys_live ON person_keys (person) WHERE erased_at IS NULL;
  COMMENT ON TABLE person_keys IS 'Per-person keys of personal data (ADR 21): never in a backup kept longer than the erasure window'`;

/**
 * Creates the keystore's database and table if they are missing, as their owner, and grants the
 * role the services connect as what they do with keys: read, create, and delete by nulling (no
 * DELETE, no TRUNCATE: an erasure leaves its row). Idempotent; replicas starting together take
 * turns on an advisory lock.
 */
export async function prepareKeystore(ownerUrl: string, serviceRole: string): Promise<void> {
  const owner = await connectCreatingDatabase(ownerUrl);
  try {
    await owner.query(`SELECT pg_advisory_lock(hashtextextended('conduct.keystore', 0))`);
    try {
      await owner.query(SCHEMA);
      const [{ me }] = (await owner.query<{ me: string }>('SELECT current_user AS me')).rows as [{ me: string }];
      if (me !== serviceRole) {
        const grantee = (await owner.query<{ grantee: string }>('SELECT quote_ident($1) AS grantee', [serviceRole])).rows[0]!.grantee;
        await owner.query(`REVOKE ALL ON person_keys FROM ${grantee}`);
        await owner.query(`GRANT SELECT, INSERT, UPDATE ON person_keys TO ${grantee}`);
      }
    } finally {
      await owner.query(`SELECT pg_advisory_unlock(hashtextextended('conduct.keystore', 0))`);
    }
  } finally {
    await owner.end();
  }
}

/** True when the service's own connection already finds the table it needs: nothing for the owner to do on a restart. */
export async function keystoreReady(serviceUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: serviceUrl });
  try {
    await client.connect();
    const { rows } = await client.query<{ ready: boolean }>(
      `SELECT to_regclass('public.person_keys') IS NOT NULL
              AND has_table_privilege('public.person_keys', 'SELECT') AND has_table_privilege('public.person_keys', 'INSERT')
              AND has_table_privilege('public.person_keys', 'UPDATE') AS ready`,
    );
    return rows[0]?.ready === true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function connectCreatingDatabase(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as { code?: string }).code !== '3D000') throw error;
  }
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = new Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    const quoted = (await admin.query<{ name: string }>('SELECT quote_ident($1) AS name', [database])).rows[0]!.name;
    await admin.query(`CREATE DATABASE ${quoted}`).catch((error: { code?: string }) => {
      // Another replica created it at the same moment.
      if (error.code !== '42P04' && error.code !== '23505') throw error;
    });
  } finally {
    await admin.end();
  }
  const created = new Client({ connectionString: url });
  await created.connect();
  return created;
}

/**
 * A pool of connections to the keystore. An idle connection that the server drops (a restart, a
 * failover) is reported here and replaced at the next query: without a listener the pool's 'error'
 * event would end the process.
 */
export function keystorePool(url: string, max: number, onError: (error: Error) => void): Pool {
  const pool = new Pool({ connectionString: url, max });
  pool.on('error', onError);
  return pool;
}

/**
 * The keystore for a command-line tool run by an operator (import, re-applying erasures):
 * KEYSTORE_URL and PERSONAL_DATA_KEY as the services have them. Outside production a tool may fall
 * back on `conduct_keys` beside `databaseUrl` and the development master key, as the services do;
 * in production it refuses to run without both. Prepared first when the tool's role may (it runs
 * as the databases' owner locally). Close it with `pool.end()`.
 */
export async function keystoreForTool(env: NodeJS.ProcessEnv, databaseUrl: string): Promise<{ keys: PersonalDataKeys; pool: Pool; url: string }> {
  if (env['NODE_ENV'] === 'production' && (!env['KEYSTORE_URL'] || !env['PERSONAL_DATA_KEY'])) {
    throw new Error('NODE_ENV=production needs KEYSTORE_URL and PERSONAL_DATA_KEY, the same as the services have (docs/privacy.md)');
  }
  const fallback = new URL(databaseUrl);
  fallback.pathname = `/${KEYSTORE_DATABASE}`;
  const url = env['KEYSTORE_URL'] ?? fallback.toString();
  const masterKey = Buffer.from(env['PERSONAL_DATA_KEY'] ?? DEVELOPMENT_PERSONAL_DATA_KEY, 'base64');
  if (!(await keystoreReady(url)))
    await prepareKeystore(env['KEYSTORE_MIGRATION_URL'] ?? url, decodeURIComponent(new URL(url).username) || 'postgres');
  const pool = keystorePool(url, 2, (error) => console.error(`[keystore] connection lost: ${error.message}`));
  return { keys: new PersonalDataKeys({ pool, masterKey, cacheMs: 0 }), pool, url };
}
