import { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '@conduct/event-store';

/**
 * One database connection held for as long as the relay is active: a session advisory lock
 * belongs to its connection, so every query of the active relay goes through the same one.
 */
export interface DedicatedSession {
  query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Returns the connection to its pool; `broken` closes it instead (it may still hold the lock). */
  release(broken: boolean): void;
  /** True once the connection reported an error: the lock went with it. */
  readonly failed: boolean;
}

/** A pg Pool, or a TypeORM DataSource on PostgreSQL (its pg Pool is used). */
export type RelayDatabase = Pool | DataSource;

/** The pg Pool behind a relay database: for queries that need no session of their own. */
export function poolOf(database: RelayDatabase): Pool {
  // Taking a client from pg's Pool (rather than a TypeORM QueryRunner) lets the relay close a
  // connection whose lock state is unknown instead of pooling it again.
  return database instanceof Pool ? database : pgPoolOf(database);
}

export async function openDedicatedSession(database: RelayDatabase): Promise<DedicatedSession> {
  const client: PoolClient = await poolOf(database).connect();
  let failed = false;
  const onError = (): void => {
    failed = true;
  };
  client.on('error', onError);
  return {
    get failed() {
      return failed;
    },
    async query<R extends QueryResultRow>(sql: string, params: unknown[] = []) {
      return (await client.query<R>(sql, params)).rows;
    },
    release(broken) {
      client.off('error', onError);
      client.release(broken || failed);
    },
  };
}
