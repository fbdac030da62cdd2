import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '@conduct/testing';
import { BaseServiceConfig } from '@conduct/config';
import { poolSettings } from './event-sourcing.module';

/** The pool's server-side limits, against real PostgreSQL: what a frozen peer or a stuck statement meets. */
describe('poolSettings (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase([], 'pool_settings');
    const config = Object.assign(new BaseServiceConfig(), { DB_STATEMENT_TIMEOUT_MS: 300, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 400 });
    pool = new Pool({ connectionString: db.url, ...poolSettings(config) });
    pool.on('error', () => undefined); // the connection the server ends below
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('cancels a statement that runs past DB_STATEMENT_TIMEOUT_MS', async () => {
    await expect(pool.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: '57014' });
    expect((await pool.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });

  it('ends a transaction left idle past DB_IDLE_IN_TRANSACTION_TIMEOUT_MS, releasing what it held', async () => {
    const client = await pool.connect();
    client.on('error', () => undefined);
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(42)');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await expect(client.query('SELECT 1')).rejects.toThrow();
    } finally {
      client.release(true);
    }
    const [row] = (await pool.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(42) AS locked')).rows;
    expect(row?.locked).toBe(true);
  });
});
