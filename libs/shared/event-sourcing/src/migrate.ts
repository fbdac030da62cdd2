import { DataSource, Migration } from 'typeorm';

/** The lock's key: one per database, whichever service or tool migrates it. */
const MIGRATION_LOCK = 'conduct.migrations';

/**
 * Runs the data source's pending migrations, one process at a time per database: replicas that
 * start together on a fresh database would otherwise both create the same tables, and one of them
 * fail. A session advisory lock on a connection of its own is held while TypeORM migrates on
 * others; whoever gets it second finds nothing left to do.
 */
export async function migrateUnderLock(dataSource: DataSource): Promise<Migration[]> {
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
    }
  } finally {
    await lockHolder.release();
  }
}
