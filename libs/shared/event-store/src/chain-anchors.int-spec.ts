import { createTestDatabase, rewriteEventsAsOwner, type TestDatabase } from '@conduct/testing';
import { computeAnchor, verifyAgainstAnchor } from './chain-anchors';
import { EventStore } from './event-store';
import { pgPoolOf } from './pg-pool';
import { computeEventHash, GENESIS_HASH } from './hash-chain';
import { eventStoreMigrations } from './migrations';
import { freshStreamId, newEvent } from './test-fixtures';

/*
 * Anchored chain heads (dossier issue, point 5): a database administrator who rewrites an event
 * and recomputes every later hash leaves chains that verify on their own, but not against the
 * anchor published before.
 */
describe('chain anchors (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: EventStore;
  const streams: string[] = [];
  const pool = () => pgPoolOf(database.dataSource);

  beforeAll(async () => {
    database = await createTestDatabase(eventStoreMigrations, 'chain_anchors');
    store = new EventStore(database.dataSource);
    for (let stream = 0; stream < 5; stream++) {
      const streamId = freshStreamId();
      streams.push(streamId);
      await store.append(streamId, 'case', 0, [newEvent('ViolationReported', { n: 1 }), newEvent('NoteAdded', { text: 'two' })]);
      await store.append(streamId, 'case', 2, [newEvent('NoteAdded', { text: 'three' })]);
    }
  });
  afterAll(async () => {
    await database.drop();
  });

  it('commits to every stream head, and a store left alone verifies against it, also after more events', async () => {
    const anchor = await computeAnchor(pool(), 'violation-service', new Date('2026-12-06T10:00:00Z'));
    expect(anchor).toEqual({
      service: 'violation-service',
      anchoredAt: '2026-12-06T10:00:00.000Z',
      snapshot: expect.stringMatching(/^\d+:\d+:/),
      streams: 5,
      events: 15,
      root: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await verifyAgainstAnchor(pool(), anchor)).toEqual({
      intact: true,
      anchor,
      streamsChecked: 5,
      eventsChecked: 15,
      root: anchor.root,
      brokenStreams: [],
    });

    // Events appended after the anchor are not covered by it: the check reads the anchor's snapshot.
    await store.append(streams[0]!, 'case', 3, [newEvent('NoteAdded', { text: 'four' })]);
    await store.append(freshStreamId(), 'case', 0, [newEvent('ViolationReported', { n: 2 })]);
    expect(await verifyAgainstAnchor(pool(), anchor, 4)).toMatchObject({ intact: true, streamsChecked: 5, eventsChecked: 15 });
    const next = await computeAnchor(pool(), 'violation-service', new Date());
    expect(next).toMatchObject({ streams: 6, events: 17 });
    expect(next.root).not.toBe(anchor.root);
  });

  it('catches an administrator who rewrote an event and recomputed every later hash', async () => {
    const anchor = await computeAnchor(pool(), 'violation-service', new Date());
    const target = streams[2]!;
    await rewriteEventsAsOwner(
      database.dataSource,
      `UPDATE events SET data = '{"text": "nothing happened"}' WHERE stream_id = $1 AND stream_version = 2`,
      [target],
    );
    let previous = GENESIS_HASH;
    for (const event of await store.readStream(target, { upcast: false })) {
      const hash = computeEventHash(previous, event);
      await rewriteEventsAsOwner(database.dataSource, `UPDATE events SET prev_hash = $2, hash = $3 WHERE event_id = $1`, [
        event.eventId,
        previous,
        hash,
      ]);
      previous = hash;
    }
    // The rewritten chain holds on its own...
    expect(await store.verifyStream(target)).toEqual({ intact: true, eventsChecked: 3 });

    // ...but not against the anchor published before the rewrite.
    const verification = await verifyAgainstAnchor(pool(), anchor);
    expect(verification).toMatchObject({ intact: false, streamsChecked: 6, brokenStreams: [] });
    expect(verification.root).not.toBe(anchor.root);
  });

  it('names the chain an administrator edited without recomputing the hashes', async () => {
    const anchor = await computeAnchor(pool(), 'violation-service', new Date());
    const target = streams[4]!;
    await rewriteEventsAsOwner(database.dataSource, `UPDATE events SET data = '{"text": "edited"}' WHERE stream_id = $1 AND stream_version = 3`, [
      target,
    ]);

    expect(await verifyAgainstAnchor(pool(), anchor)).toMatchObject({
      intact: false,
      root: anchor.root,
      brokenStreams: [{ streamId: target, streamVersion: 3, reason: 'hash-mismatch' }],
    });
  });
});
