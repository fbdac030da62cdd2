import { Principal } from '@conduct/auth';
import { Decider, DomainError } from '@conduct/decider';
import { ConcurrencyError, EventStore, eventStoreMigrations, IdempotencyKeyReusedError } from '@conduct/event-store';
import { createTestDatabase, TestDatabase } from '@conduct/testing';
import { SystemClock } from './clock';
import { MessagingLifecycle } from './messaging-lifecycle';
import { idempotencyOf, newStreamId, StreamCommands, StreamKind } from './stream-commands';

type ThingCommand = { type: 'Open'; data: { name: string; now: string } } | { type: 'Note'; data: { text: string } };
type ThingEvent = { type: 'Opened'; data: { name: string; at: string } } | { type: 'Noted'; data: { text: string; noteNumber: number } };
type ThingState = { status: 'none' } | { status: 'open'; name: string; notes: number };

const thingDecider: Decider<ThingCommand, ThingState, ThingEvent> = {
  initialState: { status: 'none' },
  decide: (command, state) => {
    if (command.type === 'Note') {
      if (state.status === 'none') throw new DomainError('not-found', 'thing.not-found', 'no such thing');
      return [{ type: 'Noted', data: { text: command.data.text, noteNumber: state.notes + 1 } }];
    }
    if (state.status !== 'none') throw new DomainError('conflict', 'thing.already-exists', 'already open');
    return [{ type: 'Opened', data: { name: command.data.name, at: command.data.now } }];
  },
  evolve: (state, event) =>
    event.type === 'Opened'
      ? { status: 'open', name: event.data.name, notes: 0 }
      : state.status === 'open'
        ? { ...state, notes: state.notes + 1 }
        : state,
};

const THINGS: StreamKind<ThingCommand, ThingState, ThingEvent, string> = {
  streamType: 'thing',
  decider: thingDecider,
  jurisdictionOf: () => ({ province: 'sindh' }),
  actorOf: (principal) => principal.subject,
  alreadyExists: 'thing.already-exists',
};

/** An event store whose next read of the stream waits until `release()`: a create held back there loses the append race. */
class HeldStore extends EventStore {
  private hold: Promise<void> | undefined;
  private reached: (() => void) | undefined;
  release: () => void = () => undefined;

  holdNextRead(): Promise<void> {
    this.hold = new Promise((resolve) => (this.release = resolve));
    return new Promise((resolve) => (this.reached = resolve));
  }

  override async aggregate<State, Event extends { type: string; data: unknown }>(...args: Parameters<EventStore['aggregate']>) {
    const read = await super.aggregate<State, Event>(...(args as [string, never]));
    const hold = this.hold;
    this.hold = undefined;
    if (hold) {
      this.reached?.();
      await hold;
    }
    return read;
  }
}

const officer: Principal = { subject: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh' } };

describe('StreamCommands.create: the one idempotent create (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: HeldStore;
  let streams: StreamCommands;

  beforeAll(async () => {
    db = await createTestDatabase(eventStoreMigrations, 'stream_commands');
    store = new HeldStore(db.dataSource);
    streams = new StreamCommands(store, new SystemClock(), { nudgeRelay: () => undefined } as unknown as MessagingLifecycle);
  });
  afterAll(() => db.drop());

  const open = (key: string | undefined, name: string, principal = officer) => {
    const body = { name };
    return streams
      .of(THINGS)
      .create({ streamId: newStreamId('things', principal, key), principal, correlationId: 'c-1', ...idempotencyOf(key, body) }, ({ now }) => ({
        type: 'Open',
        data: { name, now },
      }));
  };

  it('answers a retry under the same Idempotency-Key as the first time, and refuses another request under it', async () => {
    const first = await open('k-1', 'first');
    expect(first.version).toBe(1);
    await expect(open('k-1', 'first')).resolves.toEqual(first);
    await expect(open('k-1', 'something else')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await store.readStream(first.streamId)).toHaveLength(1);
  });

  it('answers a retry that lost the append race to its first try as a retry, not with the race', async () => {
    const reading = store.holdNextRead();
    const late = open('k-race', 'raced');
    await reading; // the late one has read the empty stream and waits
    const early = await open('k-race', 'raced');
    store.release();
    await expect(late).resolves.toEqual(early);
    expect(await store.readStream(early.streamId)).toHaveLength(1);
  });

  it("keeps the decider's refusal for a stream that exists for another reason, also after losing the race", async () => {
    const streamId = newStreamId('things', officer, undefined);
    const create = (name: string) =>
      streams.of(THINGS).create({ streamId, principal: officer, correlationId: 'c-2' }, ({ now }) => ({ type: 'Open', data: { name, now } }));
    const reading = store.holdNextRead();
    const late = create('second');
    await reading;
    await create('first');
    store.release();
    await expect(late).rejects.toMatchObject({ code: 'thing.already-exists' });
  });

  describe('execute: a command that loses the append race', () => {
    const note = (streamId: string, text: string, ifMatchVersion?: number) =>
      streams
        .of(THINGS)
        .execute({ streamId, principal: officer, correlationId: 'c-3', ...(ifMatchVersion === undefined ? {} : { ifMatchVersion }) }, () => ({
          type: 'Note',
          data: { text },
        }));

    it('is decided again on the stream as it now is when the caller sent no If-Match', async () => {
      const { streamId } = await open(undefined, 'noted');
      const reading = store.holdNextRead();
      const late = note(streamId, 'late');
      await reading; // the late note has read version 1 and waits
      await note(streamId, 'early');
      store.release();
      await expect(late).resolves.toMatchObject({ version: 3 });
      // Decided again, not replayed: the late note numbers itself after the early one.
      expect((await store.readStream(streamId)).map((event) => event.data)).toEqual([
        expect.objectContaining({ name: 'noted' }),
        { text: 'early', noteNumber: 1 },
        { text: 'late', noteNumber: 2 },
      ]);
    });

    it('is refused (409) when the caller sent If-Match: they acted on a version that is no longer the latest', async () => {
      const { streamId } = await open(undefined, 'guarded');
      const reading = store.holdNextRead();
      const late = note(streamId, 'late', 1);
      await reading;
      await note(streamId, 'early');
      store.release();
      await expect(late).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await store.readStream(streamId)).toHaveLength(2);
    });
  });
});
