import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { pgPoolOf, UnsupportedDatabaseError } from './pg-pool';

describe('pgPoolOf', () => {
  it('refuses a DataSource that has no pg Pool yet, naming what it needs', () => {
    const dataSource = new DataSource({ type: 'postgres', url: 'postgres://127.0.0.1:1/none' });
    expect(() => pgPoolOf(dataSource)).toThrow(UnsupportedDatabaseError);
    expect(() => pgPoolOf(dataSource)).toThrow('needs an initialized PostgreSQL DataSource on the pg driver, got a "postgres" DataSource');
  });

  it("answers the pg Pool TypeORM's postgres driver keeps", () => {
    const dataSource = new DataSource({ type: 'postgres', url: 'postgres://127.0.0.1:1/none' });
    const pool = new Pool();
    Object.assign(dataSource.driver, { master: pool });
    expect(pgPoolOf(dataSource)).toBe(pool);
  });
});
