import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { adminQuery, eventually, serviceRoleUrl, testInfrastructure, withDatabaseClient } from '@conduct/testing';
import { PersonalDataKeys } from './keystore';
import { keystorePool, keystoreReady, prepareKeystore } from './keystore-schema';
import { ERASED } from './sealing';

/*
 * The keystore on the test run's PostgreSQL: made by its owner, used by the services' role.
 */
describe('the keystore of per-person keys', () => {
  const database = `conduct_keys_it_${randomBytes(4).toString('hex')}`;
  const ownerUrl = `${testInfrastructure().postgresUrl}/${database}`;
  const masterKey = randomBytes(32);
  let serviceUrl: string;
  let pool: Pool;
  let clock = Date.now();
  const keysWith = (cacheMs: number, key = masterKey) => new PersonalDataKeys({ pool, masterKey: key, cacheMs, now: () => clock });

  beforeAll(async () => {
    serviceUrl = await serviceRoleUrl(testInfrastructure().postgresUrl, database);
    expect(await keystoreReady(serviceUrl)).toBe(false);
    // Replicas starting together on a server without the database: both succeed, one table.
    await Promise.all([prepareKeystore(ownerUrl, 'conduct_service'), prepareKeystore(ownerUrl, 'conduct_service')]);
    expect(await keystoreReady(serviceUrl)).toBe(true);
    pool = keystorePool(serviceUrl, 4, () => undefined);
  });
  afterAll(async () => {
    await pool?.end();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('seals under one key per person, made on first use, stored wrapped, and opens anything holding tokens', async () => {
    const keys = keysWith(5_000);
    const sealed = await Promise.all(['Imran Ali', 'imran.ali@sindhpolice.local', 'Imran Ali'].map((value) => keys.seal('KHI-1', value)));
    const other = await keys.seal('KHI-2', 'Bilal Khan');
    const stored = await withDatabaseClient(
      ownerUrl,
      async (client) => (await client.query<{ person: string }>('SELECT person FROM person_keys ORDER BY person')).rows,
    );
    expect(stored.map((row) => row.person)).toEqual(['KHI-1', 'KHI-2']);
    // What the table holds is not the key: under another master key it opens nothing, and says so.
    const unreadable: string[] = [];
    const misconfigured = new PersonalDataKeys({ pool, masterKey: randomBytes(32), cacheMs: 0, onUnreadableKey: (keyId) => unreadable.push(keyId) });
    expect(await misconfigured.open(sealed[0])).toBe(ERASED);
    expect(unreadable).toHaveLength(1);
    // A name opened into HTML is text, never markup.
    const markup = await keys.seal('KHI-2', '<b>Bilal</b> & co');
    const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(await keys.open(`<p>Dear ${markup},</p>`, { escape: escapeHtml })).toBe('<p>Dear &lt;b&gt;Bilal&lt;/b&gt; &amp; co,</p>');
    expect(await keysWith(0).open({ officer: { name: sealed[0] }, to: sealed[1], subject: `Notice for ${sealed[2]}`, other })).toEqual({
      officer: { name: 'Imran Ali' },
      to: 'imran.ali@sindhpolice.local',
      subject: 'Notice for Imran Ali',
      other: 'Bilal Khan',
    });
  });

  it('erases a person for good: their values read [erased], everyone else is untouched, and the row says when', async () => {
    const keys = keysWith(5_000);
    const name = await keys.seal('KHI-3', 'Zeb Khan');
    const kept = await keys.seal('KHI-4', 'Asif Shah');
    const elsewhere = keysWith(5_000);
    expect(await elsewhere.open(name)).toBe('Zeb Khan');
    expect(await keys.erase('KHI-3')).toEqual({ person: 'KHI-3', keys: 1 });
    expect(await keys.open([name, kept])).toEqual([ERASED, 'Asif Shah']);
    // Another process holds the key in memory until its cache runs out.
    expect(await elsewhere.open(name)).toBe('Zeb Khan');
    clock += 5_001;
    expect(await elsewhere.open(name)).toBe(ERASED);
    const rows = await withDatabaseClient(
      ownerUrl,
      async (client) =>
        (await client.query<{ wrapped_key: Buffer | null; erased_at: Date }>(`SELECT wrapped_key, erased_at FROM person_keys WHERE person = 'KHI-3'`))
          .rows,
    );
    expect(rows).toEqual([{ wrapped_key: null, erased_at: expect.any(Date) }]);
    expect(await keys.erase('KHI-3')).toEqual({ person: 'KHI-3', keys: 0 });
  });

  it('gives a person named again after erasure a new key only for a new record, which an erasure read again later leaves alone', async () => {
    const keys = keysWith(0);
    const before = await keys.seal('KHI-5', 'Old Name');
    const erasedAt = new Date();
    await keys.erase('KHI-5');
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Only a new record naming them makes a new key; anything else sealed for them now is not kept.
    expect(await keys.seal('KHI-5', 'Late Notice')).toBe(ERASED);
    const after = await keys.seal('KHI-5', 'New Name', { renew: true });
    expect(await keys.erase('KHI-5', erasedAt)).toEqual({ person: 'KHI-5', keys: 0 });
    expect(await keys.open([before, after])).toEqual([ERASED, 'New Name']);
    expect(await keys.seal('KHI-5', 'Later Notice')).not.toBe(ERASED);
  });

  it('lets the services role read, add and erase keys but not delete rows or drop the table', async () => {
    await withDatabaseClient(serviceUrl, async (client) => {
      await expect(client.query(`DELETE FROM person_keys`)).rejects.toThrow(/permission denied/);
      await expect(client.query(`TRUNCATE person_keys`)).rejects.toThrow(/permission denied|must be owner/);
    });
  });
  it('keeps working when the server drops its connections (a restart): the pool reports it, the process goes on, the next query reconnects', async () => {
    const errors: Error[] = [];
    const dropped = keystorePool(serviceUrl, 2, (error) => errors.push(error));
    try {
      const keys = new PersonalDataKeys({ pool: dropped, masterKey, cacheMs: 0 });
      const token = await keys.seal('KHI-9', 'Dropped Connection');
      await withDatabaseClient(ownerUrl, (client) =>
        client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = 'conduct_service'`, [database]),
      );
      await eventually(() => errors.length > 0, { what: "the pool's report of the lost connection" });
      expect(await keys.open(token)).toBe('Dropped Connection');
    } finally {
      await dropped.end();
    }
  });
});
