import { createTestDatabase, type TestDatabase, rewriteEventsAsOwner } from '@conduct/testing';
import { StreamNotFoundError } from './errors';
import { EventStore } from './event-store';
import { verifyChain } from './hash-chain';
import { eventStoreMigrations } from './migrations';
import { freshStreamId, newEvent } from './test-fixtures';

describe('EventStore tamper evidence (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase(eventStoreMigrations, 'event_store_verify');
    store = new EventStore(database.dataSource);
  });
  afterAll(async () => {
    await database.drop();
  });

  async function streamOfFive(): Promise<string> {
    const streamId = freshStreamId();
    await store.append(streamId, 'case', 0, [newEvent('ViolationReported', { url: 'https://example.org/1' })]);
    await store.append(
      streamId,
      'case',
      1,
      [2, 3, 4, 5].map((n) => newEvent('NoteAdded', { text: `note ${n}` })),
    );
    return streamId;
  }

  it('finds an untouched stream intact, also through the pure verifyChain on its rows', async () => {
    const streamId = await streamOfFive();
    expect(await store.verifyStream(streamId)).toEqual({ intact: true, eventsChecked: 5 });
    expect(verifyChain(await store.readStream(streamId, { upcast: false })).intact).toBe(true);
  });

  it('catches data edited in place with SQL', async () => {
    const streamId = await streamOfFive();
    await rewriteEventsAsOwner(
      database.dataSource,
      `UPDATE events SET data = jsonb_set(data, '{text}', '"rewritten"') WHERE stream_id = $1 AND stream_version = 3`,
      [streamId],
    );

    expect(await store.verifyStream(streamId)).toEqual({
      intact: false,
      eventsChecked: 3,
      brokenAt: { streamVersion: 3, reason: 'hash-mismatch' },
    });
  });

  it('catches edited metadata', async () => {
    const streamId = await streamOfFive();
    await rewriteEventsAsOwner(
      database.dataSource,
      `UPDATE events SET metadata = jsonb_set(metadata, '{actor,id}', '"someone-else"') WHERE stream_id = $1 AND stream_version = 1`,
      [streamId],
    );

    expect((await store.verifyStream(streamId)).brokenAt).toEqual({ streamVersion: 1, reason: 'hash-mismatch' });
  });

  it('catches a deleted row', async () => {
    const streamId = await streamOfFive();
    await rewriteEventsAsOwner(database.dataSource, `DELETE FROM events WHERE stream_id = $1 AND stream_version = 2`, [streamId]);

    expect((await store.verifyStream(streamId)).brokenAt).toEqual({ streamVersion: 3, reason: 'version-gap' });
  });

  it('catches a deleted row even when the later versions were renumbered to close the gap', async () => {
    const streamId = await streamOfFive();
    await rewriteEventsAsOwner(database.dataSource, `DELETE FROM events WHERE stream_id = $1 AND stream_version = 2`, [streamId]);
    await rewriteEventsAsOwner(
      database.dataSource,
      `UPDATE events SET stream_version = stream_version - 1 WHERE stream_id = $1 AND stream_version > 2`,
      [streamId],
    );

    expect((await store.verifyStream(streamId)).brokenAt).toEqual({ streamVersion: 2, reason: 'chain-broken' });
  });

  it('catches a deleted first event', async () => {
    const streamId = await streamOfFive();
    await rewriteEventsAsOwner(database.dataSource, `DELETE FROM events WHERE stream_id = $1 AND stream_version = 1`, [streamId]);

    expect((await store.verifyStream(streamId)).brokenAt).toEqual({ streamVersion: 2, reason: 'version-gap' });
  });

  it('reports a stream without events as not found', async () => {
    await expect(store.verifyStream(freshStreamId())).rejects.toBeInstanceOf(StreamNotFoundError);
  });
});
