import { createTestDatabase, eventually, type TestDatabase, rewriteEventsAsOwner } from '@conduct/testing';
import { StreamNotFoundError } from './errors';
import { EventStore } from './event-store';
import { eventStoreMigrations } from './migrations';
import { Upcasters } from './upcasters';
import { freshStreamId, newEvent, notesEvolver, type NotesState } from './test-fixtures';

describe('EventStore reads: temporal, snapshots, upcasting (PostgreSQL)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(eventStoreMigrations, 'event_store_reads');
  });
  afterAll(async () => {
    await database.drop();
  });

  /** Appends one NoteAdded per text, one append each, passing the state after it along. */
  async function appendNotes(store: EventStore, streamId: string, texts: string[], from = 0): Promise<number[]> {
    const snapshotVersions: number[] = [];
    let state: NotesState = (await store.aggregate(streamId, notesEvolver, { snapshots: false })).state;
    for (const [index, text] of texts.entries()) {
      const event = newEvent('NoteAdded', { text });
      state = notesEvolver.evolve(state, { type: 'NoteAdded', data: { text } });
      const result = await store.append(streamId, 'case', from + index, [event], { stateAfter: state });
      if (result.snapshotVersion) snapshotVersions.push(result.snapshotVersion);
    }
    return snapshotVersions;
  }

  describe('temporal reads', () => {
    it('reads up to a version', async () => {
      const store = new EventStore(database.dataSource);
      const streamId = freshStreamId();
      await appendNotes(store, streamId, ['a', 'b', 'c', 'd']);

      expect((await store.readStream(streamId, { toVersion: 2 })).map((event) => event.data)).toEqual([{ text: 'a' }, { text: 'b' }]);
      expect((await store.readStream(streamId, { fromVersion: 3 })).map((event) => event.streamVersion)).toEqual([3, 4]);
      expect(await store.aggregate(streamId, notesEvolver, { toVersion: 3 })).toEqual({
        state: { count: 3, notes: ['a', 'b', 'c'] },
        version: 3,
        eventsFolded: 3,
      });
    });

    it('reads the stream as it was at a point in time ("the case as of 3 March")', async () => {
      const store = new EventStore(database.dataSource);
      const streamId = freshStreamId();
      await appendNotes(store, streamId, ['1 March', '2 March', '4 March']);
      // recorded_at is not hashed: set it to known days to make the clock deterministic.
      await rewriteEventsAsOwner(
        database.dataSource,
        `UPDATE events SET recorded_at = timestamptz '2025-02-28T12:00:00Z' + stream_version * interval '1 day'
              + CASE WHEN stream_version = 3 THEN interval '1 day' ELSE interval '0' END
          WHERE stream_id = $1`,
        [streamId],
      );
      const asOf = new Date('2025-03-03T23:59:59Z');

      expect((await store.readStream(streamId, { asOf })).map((event) => event.streamVersion)).toEqual([1, 2]);
      expect(await store.streamVersion(streamId, { asOf })).toBe(2);
      expect(await store.aggregate(streamId, notesEvolver, { asOf })).toMatchObject({ state: { notes: ['1 March', '2 March'] }, version: 2 });
      expect(await store.aggregate(streamId, notesEvolver, { asOf: new Date('2025-02-01T00:00:00Z') })).toMatchObject({
        version: 0,
        state: notesEvolver.initialState,
      });
      await expect(store.aggregate(streamId, notesEvolver, { asOf: new Date('2025-02-01T00:00:00Z'), mustExist: true })).rejects.toBeInstanceOf(
        StreamNotFoundError,
      );
    });

    it('includes the event whose recordedAt is given as asOf, and nothing recorded later', async () => {
      const store = new EventStore(database.dataSource);
      const streamId = freshStreamId();
      await appendNotes(store, streamId, ['a', 'b']);
      const [, second] = await store.readStream(streamId);
      const asOf = second!.recordedAt;
      await eventually(() => Date.now() > Date.parse(asOf), { what: 'the clock to pass the second event' });
      await appendNotes(store, streamId, ['c'], 2);

      expect((await store.readStream(streamId, { asOf })).map((event) => event.streamVersion)).toEqual([1, 2]);
    });

    // A read "as of" an event's recordedAt once took in the next event when both fell in one
    // millisecond (recordedAt was a JS Date). Recorded times carry the stored microseconds now.
    it('tells apart two events recorded in the same millisecond', async () => {
      const store = new EventStore(database.dataSource);
      const streamId = freshStreamId();
      await appendNotes(store, streamId, ['a', 'b', 'c']);
      await rewriteEventsAsOwner(
        database.dataSource,
        `UPDATE events SET recorded_at = timestamptz '2025-03-03T10:00:00.123Z' + stream_version * interval '300 microseconds' WHERE stream_id = $1`,
        [streamId],
      );
      const [first, second] = await store.readStream(streamId);
      expect([first!.recordedAt, second!.recordedAt]).toEqual(['2025-03-03T10:00:00.123300Z', '2025-03-03T10:00:00.123600Z']);

      expect(await store.streamVersion(streamId, { asOf: first!.recordedAt })).toBe(1);
      expect((await store.readStream(streamId, { asOf: second!.recordedAt })).map((event) => event.streamVersion)).toEqual([1, 2]);
      expect(await store.aggregate(streamId, notesEvolver, { asOf: second!.recordedAt })).toMatchObject({ version: 2, state: { notes: ['a', 'b'] } });
      // A Date has milliseconds only: it names the instant .123000, before both.
      expect(await store.streamVersion(streamId, { asOf: new Date('2025-03-03T10:00:00.123Z') })).toBe(0);
    });

    it('records the events of one append at strictly increasing times, so each has a version of its own "as of"', async () => {
      const store = new EventStore(database.dataSource);
      const streamId = freshStreamId();
      const { events } = await store.append(
        streamId,
        'case',
        0,
        ['a', 'b', 'c', 'd'].map((text) => newEvent('NoteAdded', { text })),
      );
      const times = events.map((event) => event.recordedAt);
      expect(times.every((time, index) => index === 0 || time > times[index - 1]!)).toBe(true);
      expect((await store.readStream(streamId)).map((event) => event.recordedAt)).toEqual(times);
      for (const event of events) expect(await store.streamVersion(streamId, { asOf: event.recordedAt })).toBe(event.streamVersion);
    });

    it('keeps recorded times increasing along a stream even if the last one lies ahead of the clock', async () => {
      const store = new EventStore(database.dataSource);
      const streamId = freshStreamId();
      await appendNotes(store, streamId, ['a']);
      await rewriteEventsAsOwner(database.dataSource, `UPDATE events SET recorded_at = clock_timestamp() + interval '1 hour' WHERE stream_id = $1`, [
        streamId,
      ]);
      await appendNotes(store, streamId, ['b'], 1);
      const [first, second] = await store.readStream(streamId);
      expect(second!.recordedAt > first!.recordedAt).toBe(true);
      expect(await store.streamVersion(streamId, { asOf: first!.recordedAt })).toBe(1);
    });
  });

  describe('snapshots', () => {
    const policies = { case: { every: 3, schemaVersion: 1 } };

    it('writes a snapshot in the append that crosses every N-th version, and folds from it', async () => {
      const store = new EventStore(database.dataSource, { snapshots: policies });
      const streamId = freshStreamId();

      const written = await appendNotes(store, streamId, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);

      expect(written).toEqual([3, 6]);
      const rows: { stream_version: number; state: NotesState }[] = await database.dataSource.query(
        `SELECT stream_version, state FROM snapshots WHERE stream_id = $1 ORDER BY stream_version`,
        [streamId],
      );
      expect(rows).toEqual([
        { stream_version: 3, state: { count: 3, notes: ['a', 'b', 'c'] } },
        { stream_version: 6, state: { count: 6, notes: ['a', 'b', 'c', 'd', 'e', 'f'] } },
      ]);
      const fullFold = await store.aggregate(streamId, notesEvolver, { snapshots: false });
      const fromSnapshot = await store.aggregate(streamId, notesEvolver);
      expect(fullFold).toEqual({ state: { count: 7, notes: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, version: 7, eventsFolded: 7 });
      expect(fromSnapshot).toEqual({ ...fullFold, snapshotVersion: 6, eventsFolded: 1 });
    });

    it('really starts from the stored snapshot (a doctored snapshot shows through)', async () => {
      const store = new EventStore(database.dataSource, { snapshots: policies });
      const streamId = freshStreamId();
      await appendNotes(store, streamId, ['a', 'b', 'c', 'd']);
      await database.dataSource.query(
        `UPDATE snapshots SET state = '{"count": 100, "notes": ["from snapshot"]}' WHERE stream_id = $1 AND stream_version = 3`,
        [streamId],
      );

      expect((await store.aggregate(streamId, notesEvolver)).state).toEqual({ count: 101, notes: ['from snapshot', 'd'] });
    });

    it('uses only snapshots at or below the target of a temporal read', async () => {
      const store = new EventStore(database.dataSource, { snapshots: policies });
      const streamId = freshStreamId();
      await appendNotes(store, streamId, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
      const [, , , , fifth] = await store.readStream(streamId);

      expect(await store.aggregate(streamId, notesEvolver, { toVersion: 5 })).toEqual({
        state: { count: 5, notes: ['a', 'b', 'c', 'd', 'e'] },
        version: 5,
        snapshotVersion: 3,
        eventsFolded: 2,
      });
      expect(await store.aggregate(streamId, notesEvolver, { toVersion: 2 })).toEqual({
        state: { count: 2, notes: ['a', 'b'] },
        version: 2,
        eventsFolded: 2,
      });
      expect(await store.aggregate(streamId, notesEvolver, { asOf: fifth!.recordedAt })).toMatchObject({ version: 5, snapshotVersion: 3 });
    });

    it('snapshots a multi-event append at its last version, and never on a rejected append', async () => {
      const store = new EventStore(database.dataSource, { snapshots: policies });
      const streamId = freshStreamId();
      const first = await store.append(streamId, 'case', 0, [newEvent('NoteAdded', { text: 'a' }), newEvent('NoteAdded', { text: 'b' })], {
        stateAfter: { count: 2, notes: ['a', 'b'] },
      });
      const second = await store.append(streamId, 'case', 2, [newEvent('NoteAdded', { text: 'c' }), newEvent('NoteAdded', { text: 'd' })], {
        stateAfter: { count: 4, notes: ['a', 'b', 'c', 'd'] },
      });
      await expect(
        store.append(streamId, 'case', 8, [newEvent('NoteAdded', { text: 'x' })], { stateAfter: { count: 9, notes: [] } }),
      ).rejects.toMatchObject({ reason: 'ahead' });
      await expect(
        store.append(streamId, 'case', 2, [newEvent('NoteAdded', { text: 'y' })], { stateAfter: { count: 3, notes: [] } }),
      ).rejects.toMatchObject({ reason: 'stale' });

      expect(first.snapshotVersion).toBeUndefined();
      expect(second.snapshotVersion).toBe(4);
      const rows: { stream_version: number }[] = await database.dataSource.query(`SELECT stream_version FROM snapshots WHERE stream_id = $1`, [
        streamId,
      ]);
      expect(rows).toEqual([{ stream_version: 4 }]);
    });

    it('ignores snapshots of another schema version, and converts with toSnapshot/fromSnapshot', async () => {
      const writer = new EventStore(database.dataSource, { snapshots: policies });
      const streamId = freshStreamId();
      await appendNotes(writer, streamId, ['a', 'b', 'c', 'd']);
      const reader = new EventStore(database.dataSource, {
        snapshots: {
          case: {
            every: 3,
            schemaVersion: 2,
            toSnapshot: (state: NotesState) => ({ n: state.count, joined: state.notes.join('|') }),
            fromSnapshot: (stored: unknown): NotesState => {
              const { n, joined } = stored as { n: number; joined: string };
              return { count: n, notes: joined.split('|') };
            },
          },
        },
      });

      expect(await reader.aggregate(streamId, notesEvolver)).toMatchObject({ version: 4, eventsFolded: 4 });
      await appendNotes(reader, streamId, ['e', 'f'], 4);
      const [row]: { state: unknown }[] = await database.dataSource.query(`SELECT state FROM snapshots WHERE stream_id = $1 AND schema_version = 2`, [
        streamId,
      ]);
      expect(row!.state).toEqual({ n: 6, joined: 'a|b|c|d|e|f' });
      expect(await reader.aggregate(streamId, notesEvolver)).toEqual({
        state: { count: 6, notes: ['a', 'b', 'c', 'd', 'e', 'f'] },
        version: 6,
        snapshotVersion: 6,
        eventsFolded: 0,
      });
    });
  });

  describe('upcasting', () => {
    const upcasters = new Upcasters()
      .register<{ text: string }, { body: string }>('NoteAdded', 1, (data) => ({ body: data.text }))
      .register<{ body: string }, { body: string; author: string }>('NoteAdded', 2, (data, { metadata }) => ({
        ...data,
        author: metadata.actor.id,
      }));

    it('upcasts old events on read, leaves stored rows and their hashes untouched', async () => {
      const legacy = new EventStore(database.dataSource);
      const streamId = freshStreamId();
      await legacy.append(streamId, 'case', 0, [newEvent('NoteAdded', { text: 'old' }), newEvent('CaseClosed', { reason: 'done' })]);
      const store = new EventStore(database.dataSource, { upcasters });
      await store.append(streamId, 'case', 2, [newEvent('NoteAdded', { body: 'new', author: 'officer-9' })]);

      const events = await store.readStream(streamId);
      expect(events.map(({ type, schemaVersion, data }) => ({ type, schemaVersion, data }))).toEqual([
        { type: 'NoteAdded', schemaVersion: 3, data: { body: 'old', author: 'officer-1' } },
        { type: 'CaseClosed', schemaVersion: 1, data: { reason: 'done' } },
        { type: 'NoteAdded', schemaVersion: 3, data: { body: 'new', author: 'officer-9' } },
      ]);
      const raw = await store.readStream(streamId, { upcast: false });
      expect(raw[0]).toMatchObject({ schemaVersion: 1, data: { text: 'old' } });
      expect(await store.verifyStream(streamId)).toEqual({ intact: true, eventsChecked: 3 });
    });

    it('hands upcast events to aggregate', async () => {
      const store = new EventStore(database.dataSource, { upcasters });
      const streamId = freshStreamId();
      await new EventStore(database.dataSource).append(streamId, 'case', 0, [newEvent('NoteAdded', { text: 'old' })]);
      const bodies = {
        initialState: [] as string[],
        evolve: (state: string[], event: { type: string; data: { body: string } }) => [...state, event.data.body],
      };

      expect((await store.aggregate(streamId, bodies)).state).toEqual(['old']);
    });
  });
});
