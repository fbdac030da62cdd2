import { createTestDatabase, type TestDatabase } from '@conduct/testing';
import { DataSource } from 'typeorm';
import { ConcurrencyError, DuplicateEventIdError } from './errors';
import { EventStore } from './event-store';
import { GENESIS_HASH, computeEventHash } from './hash-chain';
import { eventStoreMigrations } from './migrations';
import { freshStreamId, newEvent, testMetadata } from './test-fixtures';

describe('EventStore append (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase(eventStoreMigrations, 'event_store_append');
    store = new EventStore(database.dataSource);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('appends a new stream and reads it back as stored', async () => {
    const streamId = freshStreamId();
    const event = newEvent('ViolationReported', { url: 'https://example.org/p/1', platform: 'X', tags: ['a', 'b'] });

    const result = await store.append(streamId, 'case', 0, [event]);

    expect(result.nextExpectedVersion).toBe(1);
    expect(result.positions).toEqual([expect.stringMatching(/^\d+$/)]);
    const [read] = await store.readStream(streamId);
    expect(read).toEqual({
      position: result.positions[0],
      transactionId: expect.stringMatching(/^\d+$/),
      streamId,
      streamType: 'case',
      streamVersion: 1,
      eventId: event.eventId,
      type: 'ViolationReported',
      schemaVersion: 1,
      data: event.data,
      metadata: testMetadata,
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      prevHash: GENESIS_HASH,
      hash: result.events[0]!.hash,
    });
    expect(result.events[0]).toEqual(read);
    expect(await store.streamVersion(streamId)).toBe(1);
    expect(await store.streamVersion(freshStreamId())).toBe(0);
    expect(await store.readStream(freshStreamId())).toEqual([]);
  });

  it('chains several events of one append, hashed by the database exactly as computeEventHash does', async () => {
    const streamId = freshStreamId();
    await store.append(streamId, 'case', 0, [newEvent('ViolationReported', { n: 1 })]);

    const result = await store.append(streamId, 'case', 1, [
      newEvent('NoteAdded', { text: 'two', nested: { z: 1, a: [true, null] } }),
      newEvent('NoteAdded', { text: 'three ünïcødé 😀' }),
      newEvent('NoteAdded', { text: 'four' }),
    ]);

    expect(result.nextExpectedVersion).toBe(4);
    const events = await store.readStream(streamId);
    expect(events.map((event) => event.streamVersion)).toEqual([1, 2, 3, 4]);
    expect(result.events.map((event) => event.position)).toEqual(events.slice(1).map((event) => event.position));
    let prevHash = GENESIS_HASH;
    for (const event of events) {
      expect(event.prevHash).toBe(prevHash);
      expect(event.hash).toBe(computeEventHash(prevHash, event));
      prevHash = event.hash;
    }
    expect(new Set(events.slice(1).map((event) => event.transactionId)).size).toBe(1);
    expect(await store.verifyStream(streamId)).toEqual({ intact: true, eventsChecked: 4 });
  });

  it('lets exactly one of two concurrent appends at the same expected version win', async () => {
    const streamId = freshStreamId();
    await store.append(streamId, 'case', 0, [newEvent('ViolationReported', {})]);

    const outcomes = await Promise.allSettled([
      store.append(streamId, 'case', 1, [newEvent('NoteAdded', { text: 'left' })]),
      store.append(streamId, 'case', 1, [newEvent('NoteAdded', { text: 'right' })]),
    ]);

    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(ConcurrencyError);
    expect(lost[0]).toMatchObject({ streamId, expectedVersion: 1, reason: 'stale', kind: 'conflict' });
    const events = await store.readStream(streamId);
    expect(events).toHaveLength(2);
    expect(await store.verifyStream(streamId)).toEqual({ intact: true, eventsChecked: 2 });
  });

  it('never loses a write under many concurrent writers on one stream', async () => {
    const streamId = freshStreamId();
    await store.append(streamId, 'case', 0, [newEvent('ViolationReported', {})]);
    const writers = 8;
    const perWriter = 5;
    let conflicts = 0;

    // Each writer retries on conflict with a freshly read version: the classic command loop.
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let i = 0; i < perWriter; i += 1) {
          for (;;) {
            const version = await store.streamVersion(streamId);
            try {
              await store.append(streamId, 'case', version, [newEvent('NoteAdded', { text: `${writer}-${i}` })]);
              break;
            } catch (error) {
              if (!(error instanceof ConcurrencyError)) throw error;
              conflicts += 1;
            }
          }
        }
      }),
    );

    const events = await store.readStream(streamId);
    expect(events).toHaveLength(1 + writers * perWriter);
    expect(new Set(events.map((event) => (event.data as { text?: string }).text)).size).toBe(1 + writers * perWriter);
    expect(await store.verifyStream(streamId)).toEqual({ intact: true, eventsChecked: 1 + writers * perWriter });
    expect(conflicts).toBeGreaterThan(0);
  });

  it('rejects a stale expected version', async () => {
    const streamId = freshStreamId();
    await store.append(streamId, 'case', 0, [newEvent('ViolationReported', {}), newEvent('NoteAdded', {})]);

    await expect(store.append(streamId, 'case', 0, [newEvent('ViolationReported', {})])).rejects.toMatchObject({
      name: 'ConcurrencyError',
      reason: 'stale',
      expectedVersion: 0,
    });
    await expect(store.append(streamId, 'case', 1, [newEvent('NoteAdded', {})])).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.streamVersion(streamId)).toBe(2);
  });

  it('rejects an expected version ahead of the stream, and on a stream that does not exist', async () => {
    const streamId = freshStreamId();
    await store.append(streamId, 'case', 0, [newEvent('ViolationReported', {})]);

    await expect(store.append(streamId, 'case', 3, [newEvent('NoteAdded', {})])).rejects.toMatchObject({
      name: 'ConcurrencyError',
      reason: 'ahead',
      expectedVersion: 3,
    });
    await expect(store.append(freshStreamId(), 'case', 1, [newEvent('NoteAdded', {})])).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.streamVersion(streamId)).toBe(1);
  });

  it('rejects an event id that is already stored, writing nothing', async () => {
    const streamId = freshStreamId();
    const event = newEvent('ViolationReported', {});
    await store.append(streamId, 'case', 0, [event]);

    await expect(store.append(freshStreamId(), 'case', 0, [newEvent('NoteAdded', {}), event])).rejects.toBeInstanceOf(DuplicateEventIdError);
    expect(await store.streamVersion(streamId)).toBe(1);
  });

  it("appends inside the caller's transaction: committed together, or rolled back together", async () => {
    const committed = freshStreamId();
    const rolledBack = freshStreamId();
    await database.dataSource.query(`CREATE TABLE IF NOT EXISTS inbox (event_id uuid PRIMARY KEY)`);
    const marker = newEvent('ViolationReported', {});

    await database.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO inbox (event_id) VALUES ($1)`, [marker.eventId]);
      await store.append(committed, 'case', 0, [marker], { manager });
      expect(await store.streamVersion(committed, { manager })).toBe(1);
      expect(await store.streamVersion(committed)).toBe(0); // not visible outside before commit
    });
    await expect(
      database.dataSource.transaction(async (manager) => {
        await store.append(rolledBack, 'case', 0, [newEvent('ViolationReported', {})], { manager });
        throw new Error('the consumer failed after appending');
      }),
    ).rejects.toThrow('the consumer failed');

    expect(await store.streamVersion(committed)).toBe(1);
    expect(await store.streamVersion(rolledBack)).toBe(0);
    expect(await database.dataSource.query(`SELECT event_id FROM inbox`)).toEqual([{ event_id: marker.eventId }]);
  });

  it('sends appends as named prepared statements (unless told not to)', async () => {
    const preparedOn = async (dataSource: DataSource, eventStore: EventStore): Promise<string[]> =>
      dataSource.transaction(async (manager) => {
        await eventStore.append(freshStreamId(), 'case', 0, [newEvent('ViolationReported', {})], { manager });
        await eventStore.append(freshStreamId(), 'case', 0, [newEvent('ViolationReported', {}), newEvent('NoteAdded', {})], { manager });
        const rows: { name: string }[] = await manager.query(`SELECT name FROM pg_prepared_statements WHERE name LIKE 'conduct_es_%'`);
        return rows.map((row) => row.name);
      });
    // A separate pool, so that its connections have never prepared anything.
    const fresh = new DataSource({ type: 'postgres', url: database.url });
    await fresh.initialize();
    try {
      expect(await preparedOn(database.dataSource, store)).toEqual(expect.arrayContaining(['conduct_es_append_many_v3', 'conduct_es_append_one_v3']));
      expect(await preparedOn(fresh, new EventStore(fresh, { preparedStatements: false }))).toEqual([]);
    } finally {
      await fresh.destroy();
    }
  });
});
