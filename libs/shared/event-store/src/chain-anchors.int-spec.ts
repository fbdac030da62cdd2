import { createTestDatabase, rewriteEventsAsOwner, type TestDatabase } from '@conduct/testing';
import { FULL_SET_EVERY_HOURS, prepareAnchor, recordAnchoredHeads, verifyAgainstAnchor, type ChainAnchor, type AnchoredHead } from './chain-anchors';
import { EventStore } from './event-store';
import { pgPoolOf } from './pg-pool';
import { computeEventHash, GENESIS_HASH } from './hash-chain';
import { merkleRoot, streamHeadLeaf } from './merkle';
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
  const computeAnchor = async (service: string, now: Date): Promise<ChainAnchor> => (await prepareAnchor(pool(), service, now)).anchor;

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
    const anchor = await computeAnchor('violation-service', new Date('2026-12-06T10:00:00Z'));
    expect(anchor).toEqual({
      service: 'violation-service',
      anchoredAt: '2026-12-06T10:00:00.000Z',
      store: expect.stringMatching(/^[0-9a-f-]{36}$/),
      snapshot: expect.stringMatching(/^\d+:\d+:/),
      streams: 5,
      events: 15,
      root: expect.stringMatching(/^[0-9a-f]{64}$/),
      heads: { full: true, changed: 5, parts: 1 },
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
    const next = await computeAnchor('violation-service', new Date());
    expect(next).toMatchObject({ streams: 6, events: 17 });
    expect(next.root).not.toBe(anchor.root);
  });

  it('sends every head with the first anchor, then only those that changed: together they give the root', async () => {
    const rootOf = (heads: Map<string, AnchoredHead>): string =>
      merkleRoot(
        [...heads.values()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([streamId, streamVersion, hash]) => streamHeadLeaf({ streamId, streamVersion, hash })),
      );
    const held = new Map<string, AnchoredHead>();
    const follow = (prepared: Awaited<ReturnType<typeof prepareAnchor>>): void => {
      if (prepared.anchor.heads.full) held.clear();
      for (const part of prepared.parts) for (const head of part.heads) held.set(head[0], head);
    };

    const first = await prepareAnchor(pool(), 'violation-service', new Date());
    expect(first.anchor.heads).toEqual({ full: true, changed: first.anchor.streams, parts: 1 });
    follow(first);
    expect(rootOf(held)).toBe(first.anchor.root);
    // Until it is recorded as sent, the next anchor sends the same heads again.
    expect((await prepareAnchor(pool(), 'violation-service', new Date())).anchor.heads.full).toBe(true);
    await recordAnchoredHeads(pool(), first);

    const unchanged = await prepareAnchor(pool(), 'violation-service', new Date());
    expect(unchanged.anchor.heads).toEqual({ full: false, changed: 0, parts: 1 });
    expect(unchanged.parts).toEqual([expect.objectContaining({ kind: 'anchor-heads', part: 1, parts: 1, heads: [] })]);
    expect(unchanged.anchor.root).toBe(first.anchor.root);

    const grown = freshStreamId();
    await store.append(grown, 'case', 0, [newEvent('ViolationReported', { n: 3 })]);
    await store.append(streams[1]!, 'case', 3, [newEvent('NoteAdded', { text: 'four' })]);
    const next = await prepareAnchor(pool(), 'violation-service', new Date());
    expect(next.anchor.heads).toEqual({ full: false, changed: 2, parts: 1 });
    expect(next.parts[0]!.heads.map(([streamId, streamVersion]) => [streamId, streamVersion]).sort()).toEqual(
      [
        [grown, 1],
        [streams[1]!, 4],
      ].sort(),
    );
    follow(next);
    expect(rootOf(held)).toBe(next.anchor.root);
    await recordAnchoredHeads(pool(), next);
    // An older anchor recorded late (another replica's) leaves the newer heads.
    await recordAnchoredHeads(pool(), first);
    expect((await prepareAnchor(pool(), 'violation-service', new Date())).anchor.heads.changed).toBe(0);

    const forced = await prepareAnchor(pool(), 'violation-service', new Date(), { full: true });
    expect(forced.anchor.heads).toEqual({ full: true, changed: forced.anchor.streams, parts: 1 });
    // A day after the last full set, the next anchor sends every head again: a follower out of step comes back.
    const dayLater = new Date(Date.parse(first.anchor.anchoredAt) + (FULL_SET_EVERY_HOURS + 1) * 3_600_000);
    expect((await prepareAnchor(pool(), 'violation-service', dayLater)).anchor.heads.full).toBe(true);
    expect((await prepareAnchor(pool(), 'violation-service', new Date(Date.parse(first.anchor.anchoredAt) + 3_600_000))).anchor.heads.full).toBe(
      false,
    );
  });

  it('catches an administrator who rewrote an event and recomputed every later hash', async () => {
    const anchor = await computeAnchor('violation-service', new Date());
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
    expect(verification).toMatchObject({ intact: false, streamsChecked: 7, brokenStreams: [] });
    expect(verification.root).not.toBe(anchor.root);
  });

  it('names the chain an administrator edited without recomputing the hashes', async () => {
    const anchor = await computeAnchor('violation-service', new Date());
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
