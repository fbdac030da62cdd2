import { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

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

export class UnsupportedDatabaseError extends Error {
  constructor(type: string) {
    super(`the outbox relay needs PostgreSQL through the pg driver, got a "${type}" DataSource`);
    this.name = 'UnsupportedDatabaseError';
  }
}

/** The pg Pool behind a relay database: for queries that need no session of their own. */
export function poolOf(database: RelayDatabase): Pool {
  if (database instanceof Pool) return database;
  // TypeORM keeps pg's Pool as `master`; taking a client from it (rather than a QueryRunner) lets
  // the relay close a connection whose lock state is unknown instead of pooling it again.
  const pool: unknown = database.driver instanceof PostgresDriver ? database.driver.master : undefined;
  if (!(pool instanceof Pool)) throw new UnsupportedDatabaseError(database.options.type);
  return pool;
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
