import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@conduct/testing';
import { serviceMigrations } from './event-sourcing.module';
import { migrateUnderLock } from './migrate';

/** Scenario 6 of the faults issue, its first step: replicas starting together on a fresh database. */
describe('migrateUnderLock (PostgreSQL)', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    db = await createTestDatabase([], 'migrate_lock');
  });
  afterAll(async () => {
    await Promise.all(sources.map((source) => source.destroy()));
    await db.drop();
  });

  it('lets four processes migrate one fresh database at once: each migration runs exactly once, none fails', async () => {
    for (let i = 0; i < 4; i++) {
      sources.push(await new DataSource({ type: 'postgres', url: db.url, migrations: serviceMigrations(), logging: false }).initialize());
    }
    const applied = await Promise.all(sources.map((source) => migrateUnderLock(source)));

    const names = applied.flat().map((migration) => migration.name);
    expect(names.sort()).toEqual(
      serviceMigrations()
        .map((migration) => new migration().name!)
        .sort(),
    );
    const rows = await db.dataSource.query<{ name: string }[]>('SELECT name FROM migrations');
    expect(rows).toHaveLength(serviceMigrations().length);
  });
});
