import { randomUUID } from 'node:crypto';
import { eventStoreMigrations, verifyChain } from '@conduct/event-store';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  freePort,
  kafkaThrough,
  metricValue,
  TcpProxy,
  TestDatabase,
  testInfrastructure,
  testKafka,
} from '@conduct/testing';
import { Kafka, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { EventEnvelope } from './envelope';
import { RelayNotActiveError } from './errors';
import { messagingMigrations } from './migrations';
import { OutboxRelay, OutboxRelayOptions } from './outbox-relay';
import { insertEvent, quietLogger } from './testing/events-fixture';
import { recordTopics, TopicRecorder } from './testing/topic-recorder';

// eventually() waits up to 10 s by default; a loaded machine may need that and more.
jest.setTimeout(30_000);

let db: TestDatabase;
let pool: Pool;
let kafka: Kafka;
let topic: string;
let recorder: TopicRecorder;
const relays: OutboxRelay[] = [];

function relay(options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
  const created = new OutboxRelay({
    name: 'test-relay',
    database: db.dataSource,
    kafka,
    route: () => ({ topic }),
    pollIntervalMs: 20,
    lockRetryMs: 50,
    errorBackoffMs: 50,
    logger: quietLogger,
    ...options,
  });
  relays.push(created);
  return created;
}

async function checkpoint(name = 'test-relay'): Promise<{ transaction_id: string; position: string } | undefined> {
  const { rows } = await pool.query<{ transaction_id: string; position: string }>(
    'SELECT transaction_id::text, position::text FROM relay_checkpoints WHERE name = $1',
    [name],
  );
  return rows[0];
}

/** Rows of finished transactions. Any transaction in the cluster (another test's) holds the rest back. */
async function relayableRows(): Promise<number> {
  const { rows } = await pool.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM events WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())',
  );
  return rows[0]!.count;
}

const envelopes = (): EventEnvelope[] => recorder.messages.map((message) => JSON.parse(message.value!) as EventEnvelope);

beforeAll(() => {
  kafka = testKafka('messaging-relay-test');
});

// A database per test: the relay, its checkpoint and its lock are per database.
beforeEach(async () => {
  db = await createTestDatabase([...eventStoreMigrations, ...messagingMigrations], 'relay');
  pool = new Pool({ connectionString: db.url, max: 4 });
  // pool.end() resolves before its connections have closed; dropping the database may then
  // terminate one, which the pool reports as an error event.
  pool.on('error', () => undefined);
  [topic] = (await createTestTopics(kafka, 'relay')) as [string];
  recorder = await recordTopics(kafka, [topic]);
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((created) => created.stop()));
  await recorder.stop();
  await pool.end();
  await db.drop();
});

// Scenario 8 of the faults issue: transaction A starts, B appends v2 and commits, A appends v3 and
// commits. A's transaction id is the lower, so (transaction id, position) order put v3 first.
it('publishes a stream in version order when an older transaction appended its later version', async () => {
  const first = await insertEvent(pool, { streamId: 'officer-7', streamVersion: 1 });
  const a = await pool.connect();
  const b = await pool.connect();
  try {
    await a.query('BEGIN');
    await insertEvent(a, { streamId: 'elsewhere', streamVersion: 1 }); // A has its transaction id now
    await b.query('BEGIN');
    const second = await insertEvent(b, { streamId: 'officer-7', streamVersion: 2, prevHash: first.hash });
    await b.query('COMMIT');
    const third = await insertEvent(a, { streamId: 'officer-7', streamVersion: 3, prevHash: second.hash });
    await a.query('COMMIT');
    expect(BigInt(third.transactionId)).toBeLessThan(BigInt(second.transactionId));
  } finally {
    a.release();
    b.release();
  }
  // One row per batch: v3 comes in a batch of its own, before v2's.
  const relayUnderTest = relay({ batchSize: 1 });

  await eventually(async () => {
    await relayUnderTest.publishPending();
    return envelopes().filter((envelope) => envelope.streamId === 'officer-7').length >= 4;
  });
  const versions = envelopes()
    .filter((envelope) => envelope.streamId === 'officer-7')
    .map((envelope) => envelope.streamVersion);
  // v2 goes out ahead of its turn, and again when the checkpoint reaches it: a duplicate the inbox absorbs.
  expect(versions.slice(0, 3)).toEqual([1, 2, 3]);
  expect([...new Set(versions)]).toEqual([1, 2, 3]);
  expect(await metricValue('conduct_relay_early_total', { relay: 'test-relay' })).toBeGreaterThanOrEqual(1);
});

it('publishes every stream in order, keyed by stream id, with headers and a verifiable envelope', async () => {
  const streams = ['approval-a', 'approval-b', 'approval-c'];
  const hashes = new Map<string, string>();
  for (let version = 1; version <= 4; version++) {
    for (const streamId of streams) {
      const inserted = await insertEvent(pool, { streamId, streamVersion: version, prevHash: hashes.get(streamId) });
      hashes.set(streamId, inserted.hash);
    }
  }
  await insertEvent(pool, { streamId: 'approval-a', streamVersion: 5, type: 'PrivateNote', prevHash: hashes.get('approval-a') });
  const last = await insertEvent(pool, { streamId: 'approval-b', streamVersion: 5, prevHash: hashes.get('approval-b') });
  const relayUnderTest = relay({ batchSize: 5, route: (row) => (row.type === 'PrivateNote' ? null : { topic }) });

  const published = { published: 0, skipped: 0 };
  await eventually(async () => {
    const progress = await relayUnderTest.publishPending();
    published.published += progress.published;
    published.skipped += progress.skipped;
    return published.published + published.skipped === 14;
  });

  expect(published).toEqual({ published: 13, skipped: 1 });
  await eventually(() => recorder.messages.length === 13, { what: '13 messages' });
  for (const streamId of streams) {
    const messages = recorder.messages.filter((message) => message.key === streamId);
    const received = messages.map((message) => JSON.parse(message.value!) as EventEnvelope & { metadata: object });
    expect(received.map((envelope) => envelope.streamVersion)).toEqual(streamId === 'approval-b' ? [1, 2, 3, 4, 5] : [1, 2, 3, 4]);
    expect(new Set(messages.map((message) => message.partition)).size).toBe(1);
    expect(verifyChain(received)).toMatchObject({ intact: true });
  }
  expect(envelopes().some((envelope) => envelope.type === 'PrivateNote')).toBe(false);
  const [first] = recorder.messages;
  expect(first!.headers).toEqual({ 'conduct-event-type': 'NoteAdded', 'conduct-schema-version': '1', 'conduct-correlation-id': 'corr-fixture' });
  expect(JSON.parse(first!.value!)).toMatchObject({
    streamType: 'TestStream',
    actor: { id: 'officer-1', role: 'OFFICER', unitId: 'unit-7' },
    jurisdiction: { province: 'Punjab', district: 'Lahore' },
    correlationId: 'corr-fixture',
    occurredAt: '2025-03-03T10:00:00.000Z',
    recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
  });
  expect(await checkpoint()).toEqual({ transaction_id: last.transactionId, position: last.position });
  expect(await metricValue('conduct_relay_published_total', { relay: 'test-relay', topic })).toBe(13);
  expect(await metricValue('conduct_relay_lag_events', { relay: 'test-relay' })).toBe(0);
});

it('moves the checkpoint only after the broker acknowledged', async () => {
  await insertEvent(pool, { streamId: 'case-1', streamVersion: 1 });
  await eventually(async () => (await relayableRows()) === 1);
  const missingTopic = `missing-${randomUUID()}`;
  const failing = relay({
    name: 'acks',
    route: () => ({ topic: missingTopic }),
    producerRetry: { retries: 1, initialRetryTime: 50, maxRetryTime: 200 },
  });

  await expect(failing.publishPending()).rejects.toThrow();

  expect(await checkpoint('acks')).toBeUndefined();
  await failing.stop();
  const working = relay({ name: 'acks' });
  await eventually(async () => (await working.publishPending()).published === 1);
  expect(await checkpoint('acks')).toBeDefined();
  await eventually(() => recorder.messages.length === 1);
});

it('holds back rows behind a transaction still running, then publishes them all in order', async () => {
  const late = await pool.connect();
  try {
    await late.query('BEGIN');
    // The late transaction writes first: lower position and lower transaction id than `early`.
    const lateRow = await insertEvent(late, { streamId: 'case-late', streamVersion: 1 });
    const earlyRow = await insertEvent(pool, { streamId: 'case-late', streamVersion: 2 });
    expect(BigInt(lateRow.position)).toBeLessThan(BigInt(earlyRow.position));
    const relayUnderTest = relay({ database: pool });

    // The committed row is visible, yet publishing it would move the checkpoint past the late one.
    expect((await pool.query('SELECT count(*)::int AS visible FROM events')).rows).toEqual([{ visible: 1 }]);
    expect(await relayUnderTest.publishPending()).toEqual({ published: 0, skipped: 0 });
    expect(await checkpoint()).toBeUndefined();

    await late.query('COMMIT');
    await eventually(async () => (await relayUnderTest.publishPending()).published === 2 || recorder.messages.length === 2);

    await eventually(() => recorder.messages.length === 2, { what: 'both rows' });
    expect(envelopes().map((envelope) => envelope.eventId)).toEqual([lateRow.eventId, earlyRow.eventId]);
    expect(await checkpoint()).toEqual({ transaction_id: earlyRow.transactionId, position: earlyRow.position });
  } finally {
    late.release();
  }
});

it('keeps one relay active per database; another takes over when it stops', async () => {
  const one = relay({ name: 'shared' });
  const two = relay({ name: 'shared' });
  one.start();
  two.start();
  await eventually(() => one.isActive || two.isActive, { what: 'an active relay' });
  const [active, standby] = one.isActive ? [one, two] : [two, one];

  await insertEvent(pool, { streamId: 'case-1', streamVersion: 1 });
  await insertEvent(pool, { streamId: 'case-2', streamVersion: 1 });
  await eventually(() => recorder.messages.length === 2, { what: 'two messages from the active relay' });
  expect(active.isActive && !standby.isActive).toBe(true);
  await expect(standby.publishPending()).rejects.toThrow(RelayNotActiveError);

  await active.stop();
  await eventually(() => standby.isActive, { what: 'the standby relay to take over' });
  await insertEvent(pool, { streamId: 'case-1', streamVersion: 2 });
  await eventually(() => recorder.messages.length === 3, { what: 'the message published after the takeover' });
  expect(
    envelopes()
      .map((envelope) => `${envelope.streamId}@${envelope.streamVersion}`)
      .sort(),
  ).toEqual(['case-1@1', 'case-1@2', 'case-2@1']);
});

it('publishes within moments of the commit while running', async () => {
  const running = relay({ name: 'latency', pollIntervalMs: 50 });
  running.start();
  await eventually(() => running.isActive);

  const started = Date.now();
  await insertEvent(pool, { streamId: 'case-fast', streamVersion: 1 });
  await eventually(() => recorder.messages.length === 1, { intervalMs: 5 });

  // Typically tens of milliseconds; the margin is for a loaded machine.
  expect(Date.now() - started).toBeLessThan(2000);
});

it('publishes at once when nudged after a commit, without waiting for the next poll', async () => {
  const running = relay({ name: 'nudged', pollIntervalMs: 60_000 });
  running.start();
  await eventually(() => running.isActive);

  await insertEvent(pool, { streamId: 'case-nudged', streamVersion: 1 });

  // Nudged again while waiting: an unrelated transaction elsewhere in the cluster may hold the row
  // back for a moment, and a nudge only cuts the current pause short.
  await eventually(
    () => {
      running.nudge();
      return recorder.messages.length === 1;
    },
    { timeoutMs: 10_000, intervalMs: 50, what: 'the nudged event' },
  );
});

// Scenario 3/4 of the faults issue at the relay's level: the broker freezes (every byte held, no
// connection closed), then comes back. The lag shows the backlog, a stop does not wait out the
// request timeouts of the send in flight, and a relay started later publishes everything.
it('shows the backlog while the broker is frozen, stops within seconds, and delivers all once it is back', async () => {
  const [host = '127.0.0.1', port = '9092'] = testInfrastructure().kafkaBrokers[0]!.split(':');
  const proxy = new TcpProxy(await freePort(), { host, port: Number(port) });
  await proxy.open();
  try {
    const first = relay({ kafka: kafkaThrough(proxy, 'relay-frozen-broker'), lagIntervalMs: 50 });
    const before = await insertEvent(pool, { streamId: 'frozen-1', streamVersion: 1 });
    first.start();
    await eventually(() => envelopes().some((envelope) => envelope.eventId === before.eventId), { what: 'the first event through the proxy' });

    proxy.freeze();
    let prevHash = before.hash;
    for (let version = 2; version <= 6; version++)
      prevHash = (await insertEvent(pool, { streamId: 'frozen-1', streamVersion: version, prevHash })).hash;
    await eventually(async () => ((await metricValue('conduct_relay_lag_events', { relay: 'test-relay' })) ?? 0) >= 5, {
      what: 'the lag to show the backlog',
    });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the send of v2..v6 is now stuck on the frozen link
    const stopStarted = Date.now();
    await first.stop();
    const stopMs = Date.now() - stopStarted;
    expect(stopMs).toBeLessThan(10_000);

    proxy.thaw();
    relay().start(); // straight to the broker, from the checkpoint the frozen relay left
    await eventually(
      () =>
        new Set(
          envelopes()
            .filter((envelope) => envelope.streamId === 'frozen-1')
            .map((envelope) => envelope.streamVersion),
        ).size === 6,
      {
        timeoutMs: 20_000,
        what: 'all six versions on the topic',
      },
    );
    console.log(`relay stop with a send stuck on a frozen broker took ${stopMs} ms`);
  } finally {
    await proxy.close();
  }
}, 60_000);

// A frozen broker of a cluster: kafkajs waits out its request timeout (30 s here) and then retries
// the same broker, although the others have led its partitions for a while. The relay gives each
// batch sendTimeoutMs, drops the producer, and the same relay delivers everything once a broker answers.
it('gives up a send that takes longer than sendTimeoutMs and starts over with a new producer', async () => {
  const [host = '127.0.0.1', port = '9092'] = testInfrastructure().kafkaBrokers[0]!.split(':');
  const proxy = new TcpProxy(await freePort(), { host, port: Number(port) });
  await proxy.open();
  try {
    const logged: string[] = [];
    const logger = { ...quietLogger, log: (message: string) => void logged.push(message) };
    const bounded = relay({ kafka: kafkaThrough(proxy, 'relay-send-bound'), sendTimeoutMs: 1000, logger });
    const first = await insertEvent(pool, { streamId: 'bounded-1', streamVersion: 1 });
    bounded.start();
    await eventually(() => envelopes().some((envelope) => envelope.eventId === first.eventId), { what: 'the first event through the proxy' });
    const failuresBefore = (await metricValue('conduct_relay_failures_total', { relay: 'test-relay' })) ?? 0;

    proxy.freeze();
    const frozenAt = Date.now();
    await insertEvent(pool, { streamId: 'bounded-1', streamVersion: 2, prevHash: first.hash });
    await eventually(async () => ((await metricValue('conduct_relay_failures_total', { relay: 'test-relay' })) ?? 0) > failuresBefore, {
      timeoutMs: 5_000,
      intervalMs: 50,
      what: 'the stuck send given up',
    });
    expect(Date.now() - frozenAt).toBeLessThan(5_000);

    proxy.thaw();
    await eventually(() => envelopes().some((envelope) => envelope.streamId === 'bounded-1' && envelope.streamVersion === 2), {
      timeoutMs: 20_000,
      what: 'version 2 published by the same relay',
    });
    // The end of the outage is in the log, with how long it lasted.
    await eventually(() => logged.some((line) => /^outbox relay "test-relay" working again after \d+ failed attempts over \d+ ms$/.test(line)), {
      what: 'the recovery logged',
    });
  } finally {
    await proxy.close();
  }
}, 60_000);

// Fault scenario 4: while the broker was frozen, each send given up left a producer still
// connecting. Once the broker resumed, those connects finished and each made itself the relay's
// producer, replacing the one in use, which was then never closed and kept its connections.
it('closes a producer that finishes connecting after the relay gave it up', async () => {
  const [host = '127.0.0.1', port = '9092'] = testInfrastructure().kafkaBrokers[0]!.split(':');
  const proxy = new TcpProxy(await freePort(), { host, port: Number(port) });
  await proxy.open();
  try {
    const proxied = kafkaThrough(proxy, 'relay-late-connect');
    const lifecycle = new Map<Producer, 'created' | 'connected' | 'disconnected'>();
    const watched = Object.create(proxied) as Kafka;
    watched.producer = (config) => {
      const producer = proxied.producer(config);
      lifecycle.set(producer, 'created');
      producer.on(producer.events.CONNECT, () => lifecycle.set(producer, 'connected'));
      producer.on(producer.events.DISCONNECT, () => lifecycle.set(producer, 'disconnected'));
      return producer;
    };
    const bounded = relay({ kafka: watched, sendTimeoutMs: 500 });
    const first = await insertEvent(pool, { streamId: 'late-1', streamVersion: 1 });
    bounded.start();
    await eventually(() => envelopes().some((envelope) => envelope.eventId === first.eventId), { what: 'the first event through the proxy' });

    proxy.freeze();
    await insertEvent(pool, { streamId: 'late-1', streamVersion: 2, prevHash: first.hash });
    // The stuck send is given up, then at least two new producers are given up while connecting.
    await eventually(() => lifecycle.size >= 4, { timeoutMs: 15_000, intervalMs: 50, what: 'three producers given up on the frozen link' });
    proxy.thaw();
    await eventually(() => envelopes().some((envelope) => envelope.streamId === 'late-1' && envelope.streamVersion === 2), {
      timeoutMs: 20_000,
      what: 'version 2 published once the broker answers',
    });
    await bounded.stop();
    await eventually(() => [...lifecycle.values()].every((state) => state !== 'connected'), {
      timeoutMs: 5_000,
      what: 'every producer closed after stop',
    });
  } finally {
    await proxy.close();
  }
}, 60_000);

// A backlog of large events once went to the broker as one record batch per partition: over its
// message.max.bytes (1 MB by default) it was refused, and the relay retried it forever.
it('publishes a backlog larger than the broker takes in one request, in order', async () => {
  let prevHash: string | undefined;
  const text = 'x'.repeat(8 * 1024);
  for (let version = 1; version <= 300; version++)
    prevHash = (await insertEvent(pool, { streamId: 'large-1', streamVersion: version, prevHash, data: { text } })).hash;
  const relayUnderTest = relay({ producerRetry: { retries: 1 } });

  const progress = await relayUnderTest.publishPending();
  expect(progress.published).toBe(300);
  await eventually(() => envelopes().filter((envelope) => envelope.streamId === 'large-1').length === 300, {
    what: 'all 300 large events on the topic',
  });
  expect(
    envelopes()
      .filter((envelope) => envelope.streamId === 'large-1')
      .map((envelope) => envelope.streamVersion),
  ).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
});

// Scenario 10 of the faults issue: the active relay's link to PostgreSQL black-holed (packets held,
// the connection left open). The server ends the silent session after lockLeaseMs, which frees the
// lock, and the standby publishes.
it("lets a standby publish once the active relay's database link is black-holed", async () => {
  const { hostname, port } = new URL(testInfrastructure().postgresUrl);
  const proxy = new TcpProxy(await freePort(), { host: hostname, port: Number(port || 5432) });
  await proxy.open();
  const proxiedPool = new Pool({ connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/${db.name}`, max: 4 });
  proxiedPool.on('error', () => undefined);
  try {
    const cutOff = relay({ database: proxiedPool, lockLeaseMs: 3000 });
    cutOff.start();
    await eventually(() => cutOff.isActive, { what: 'the relay behind the proxy active' });
    const standby = relay({ lockLeaseMs: 3000 });
    standby.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(standby.isActive).toBe(false);

    proxy.freeze();
    const cut = Date.now();
    const event = await insertEvent(pool, { streamId: 'black-hole-1', streamVersion: 1 });
    await eventually(() => envelopes().some((envelope) => envelope.eventId === event.eventId), { timeoutMs: 30_000, what: 'the standby to publish' });
    console.log(`standby published ${Date.now() - cut} ms after the active relay's link was black-holed`);
    expect(standby.isActive).toBe(true);
  } finally {
    proxy.thaw();
    await proxy.close();
    await proxiedPool.end().catch(() => undefined);
  }
});
