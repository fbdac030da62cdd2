import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

export class UnsupportedDatabaseError extends Error {
  constructor(type: string) {
    super(`needs an initialized PostgreSQL DataSource on the pg driver, got a "${type}" DataSource`);
    this.name = 'UnsupportedDatabaseError';
  }
}

/**
 * The pg Pool under a TypeORM DataSource on PostgreSQL. TypeORM's query() offers neither named
 * prepared statements nor a connection held as a session of one's own; the pool does.
 */
export function pgPoolOf(dataSource: DataSource): Pool {
  const pool: unknown = dataSource.driver instanceof PostgresDriver ? dataSource.driver.master : undefined;
  if (!(pool instanceof Pool)) throw new UnsupportedDatabaseError(dataSource.options.type);
  return pool;
}
