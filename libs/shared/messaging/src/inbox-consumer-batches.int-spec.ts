import { randomUUID } from 'node:crypto';
import { createTestDatabase, eventually, metricSum, metricValue, TestDatabase, testKafka } from '@conduct/testing';
import { Kafka, Producer } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { EventEnvelope, toKafkaMessage } from './envelope';
import { defineHandler } from './inbox-handler';
import { InboxConsumer, InboxConsumerOptions } from './inbox-consumer';
import { messagingMigrations } from './migrations';
import { createTopicWithDeadLetters, fixtureEnvelope, NoteAddedData, quietLogger } from './testing/events-fixture';
import { recordTopics, TopicRecorder } from './testing/topic-recorder';

// Several messages of one partition in one fetched batch are applied in one transaction; these
// tests publish before the consumer starts so that a whole backlog arrives as one batch.
jest.setTimeout(30_000);

let db: TestDatabase;
let kafka: Kafka;
let producer: Producer;
let topic: string;
let dlq: string;
let consumerName: string;
const running: { stop(): Promise<void> }[] = [];
const callsByEvent = new Map<string, number>();

/** Counts every call of a handler, committed or rolled back. */
const countCall = (envelope: EventEnvelope<object>): number => {
  const calls = (callsByEvent.get(envelope.eventId) ?? 0) + 1;
  callsByEvent.set(envelope.eventId, calls);
  return calls;
};

// The effect has no unique key of its own: only the inbox keeps a redelivery from doubling it.
const recordEffect = (manager: EntityManager, envelope: EventEnvelope<{ text: string }>) =>
  manager.query('INSERT INTO batch_effects (event_id, text) VALUES ($1, $2)', [envelope.eventId, envelope.data.text]);

const handlers: InboxConsumerOptions['handlers'] = {
  NoteAdded: defineHandler({
    contract: NoteAddedData,
    async handle(envelope, manager) {
      countCall(envelope);
      await recordEffect(manager, envelope);
    },
  }),
  FailsOnce: defineHandler({
    contract: NoteAddedData,
    async handle(envelope, manager) {
      await recordEffect(manager, envelope);
      if (countCall(envelope) === 1) throw new Error('first call fails');
    },
  }),
  Broken: defineHandler({
    contract: NoteAddedData,
    async handle(envelope, manager) {
      countCall(envelope);
      await recordEffect(manager, envelope);
      throw new Error('boom');
    },
  }),
};

async function startConsumer(options: Partial<InboxConsumerOptions> = {}): Promise<InboxConsumer> {
  const consumer = new InboxConsumer({
    kafka,
    dataSource: db.dataSource,
    groupId: `inbox-batch-test-${randomUUID()}`,
    consumerName,
    topics: [topic],
    handlers,
    maxAttempts: 3,
    retryBackoffMs: 10,
    logger: quietLogger,
    lagIntervalMs: 200,
    ...options,
  });
  running.push(consumer);
  await consumer.start();
  return consumer;
}

const notes = (streamId: string, count: number): EventEnvelope[] =>
  Array.from({ length: count }, (_, i) => fixtureEnvelope('NoteAdded', { text: `note ${i + 1}` }, streamId, { streamVersion: i + 1 }));

const send = (...envelopes: EventEnvelope[]) => producer.send({ topic, messages: envelopes.map((envelope) => toKafkaMessage(envelope)) });

/** Event ids in the order their effects were written (ids of rolled-back rows are never seen). */
async function effectOrder(): Promise<string[]> {
  const rows = await db.dataSource.query<{ event_id: string }[]>('SELECT event_id FROM batch_effects ORDER BY id');
  return rows.map((row) => row.event_id);
}

async function effects(eventId: string): Promise<number> {
  const [row] = await db.dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM batch_effects WHERE event_id = $1', [eventId]);
  return row!.count;
}

const applied = async (eventId: string): Promise<boolean> => (await effects(eventId)) === 1;

/** How many transactions wrote this consumer's inbox rows. */
async function inboxTransactions(): Promise<number> {
  const [row] = await db.dataSource.query<{ count: number }[]>('SELECT count(DISTINCT xmin::text)::int AS count FROM inbox WHERE consumer = $1', [
    consumerName,
  ]);
  return row!.count;
}

const processed = (type: string, outcome: string) => metricValue('conduct_consumer_processed_total', { consumer: consumerName, type, outcome });

beforeAll(async () => {
  db = await createTestDatabase(messagingMigrations, 'inbox_batch');
  await db.dataSource.query('CREATE TABLE batch_effects (id bigserial PRIMARY KEY, event_id uuid NOT NULL, text text NOT NULL)');
  kafka = testKafka('messaging-inbox-batch-test');
  producer = kafka.producer();
  await producer.connect();
});

beforeEach(async () => {
  ({ topic, dlq } = await createTopicWithDeadLetters(kafka, 'inbox-batch'));
  consumerName = `consumer-${randomUUID()}`;
  await db.dataSource.query('TRUNCATE batch_effects');
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
});

afterAll(async () => {
  await producer.disconnect();
  await db.drop();
});

it('applies a backlog of one partition in transactions of at most messagesPerTransaction, in partition order', async () => {
  const backlog = notes('case-order', 20);
  await send(...backlog);
  await startConsumer({ messagesPerTransaction: 8 });
  await eventually(() => applied(backlog[19]!.eventId), { what: 'the last note' });

  expect(await effectOrder()).toEqual(backlog.map((note) => note.eventId));
  // 20 messages fetched together: 8 + 8 + 4, each group committed at once.
  expect(await inboxTransactions()).toBe(3);
  expect(await processed('NoteAdded', 'applied')).toBe(20);
  await eventually(async () => (await metricSum('conduct_consumer_lag_messages', { consumer: consumerName, topic })) === 0, { what: 'lag 0' });
});

it('rolls a batch back when a handler fails, then applies its messages one by one, each exactly once and in order', async () => {
  const [first, second] = notes('case-transient', 2);
  const failsOnce = fixtureEnvelope('FailsOnce', { text: 'second call works' }, 'case-transient', { streamVersion: 3 });
  const [third, fourth] = notes('case-transient', 2).map((note, i) => ({ ...note, streamVersion: 4 + i }));
  const sent = [first!, second!, failsOnce, third!, fourth!];
  await send(...sent);
  await startConsumer();
  await eventually(() => applied(fourth!.eventId), { what: 'the note after the failing one' });

  expect(await effectOrder()).toEqual(sent.map((envelope) => envelope.eventId));
  // Its failed call in the batch counted as its first attempt: one retry was enough.
  expect(callsByEvent.get(failsOnce.eventId)).toBe(2);
  expect(await inboxTransactions()).toBe(5);
  expect(await processed('NoteAdded', 'applied')).toBe(4);
  expect(await processed('FailsOnce', 'applied')).toBe(1);
  expect(await metricValue('conduct_consumer_dead_lettered_total', { consumer: consumerName })).toBeUndefined();
});

it('dead-letters only the message whose handler keeps failing in a batch, after maxAttempts calls, and applies the others once', async () => {
  let deadLetters: TopicRecorder | undefined;
  try {
    deadLetters = await recordTopics(kafka, [dlq]);
    const before = notes('case-broken', 2);
    const broken = fixtureEnvelope('Broken', { text: 'never' }, 'case-broken', { streamVersion: 3 });
    const after = notes('case-broken', 3).map((note, i) => ({ ...note, streamVersion: 4 + i }));
    await send(...before, broken, ...after);
    await startConsumer();
    await eventually(() => applied(after[2]!.eventId), { what: 'the last note' });
    await eventually(() => deadLetters!.messages.length === 1, { what: 'one dead letter' });

    expect(await effectOrder()).toEqual([...before, ...after].map((note) => note.eventId));
    expect(callsByEvent.get(broken.eventId)).toBe(3);
    expect(deadLetters.messages[0]!.headers['conduct-dlq-reason']).toBe('handler failed after 3 attempts: boom');
    expect(JSON.parse(deadLetters.messages[0]!.value!)).toMatchObject({ eventId: broken.eventId });
    expect(await processed('NoteAdded', 'applied')).toBe(5);
    expect(await processed('Broken', 'dead-lettered')).toBe(1);
    const inbox = await db.dataSource.query<{ event_id: string }[]>('SELECT event_id FROM inbox WHERE consumer = $1', [consumerName]);
    expect(inbox.map((row) => row.event_id)).not.toContain(broken.eventId);
  } finally {
    await deadLetters?.stop();
  }
});

it('applies nothing twice when a batch is redelivered or holds the same event twice', async () => {
  const backlog = notes('case-redelivered', 10);
  await send(...backlog, backlog[4]!);
  const consumer = await startConsumer();
  await eventually(async () => (await processed('NoteAdded', 'duplicate')) === 1, { what: 'the copy in the same batch' });
  expect(await inboxTransactions()).toBe(1);

  // A new group under the same consumer name gets the whole topic again.
  await consumer.stop();
  await startConsumer({ groupId: `inbox-batch-replay-${randomUUID()}` });
  const [afterReplay] = notes('case-redelivered', 1);
  await send(afterReplay!);
  await eventually(() => applied(afterReplay!.eventId), { what: 'the note after the replay' });

  expect(await effectOrder()).toEqual([...backlog, afterReplay!].map((note) => note.eventId));
  expect(await processed('NoteAdded', 'duplicate')).toBe(12);
  expect(await processed('NoteAdded', 'applied')).toBe(11);
});

it('writes what handlers staged in beforeCommit, once per transaction; a write that fails is pinned on its message alone', async () => {
  // Handlers only stage their text; beforeCommit writes a transaction's texts in one statement and refuses "unwritable".
  const staged = new Map<EntityManager, EventEnvelope<{ text: string }>[]>();
  let writes = 0;
  const stage = defineHandler({
    contract: NoteAddedData,
    handle(envelope, manager) {
      countCall(envelope);
      staged.set(manager, [...(staged.get(manager) ?? []), envelope]);
      return Promise.resolve();
    },
  });
  const beforeCommit = async (manager: EntityManager) => {
    const envelopes = staged.get(manager) ?? [];
    staged.delete(manager);
    writes += 1;
    if (envelopes.some((envelope) => envelope.data.text === 'unwritable')) throw new Error('cannot write it');
    await manager.query('INSERT INTO batch_effects (event_id, text) SELECT * FROM unnest($1::uuid[], $2::text[])', [
      envelopes.map((envelope) => envelope.eventId),
      envelopes.map((envelope) => envelope.data.text),
    ]);
  };
  let deadLetters: TopicRecorder | undefined;
  try {
    deadLetters = await recordTopics(kafka, [dlq]);
    const [first, second, third, fourth] = notes('case-staged', 4);
    const unwritable = fixtureEnvelope('NoteAdded', { text: 'unwritable' }, 'case-staged', { streamVersion: 3 });
    const sent = [first!, second!, unwritable, { ...third!, streamVersion: 4 }, { ...fourth!, streamVersion: 5 }];
    await send(...sent);
    await startConsumer({ handlers: { NoteAdded: stage }, beforeCommit });
    await eventually(() => deadLetters!.messages.length === 1, { what: 'one dead letter' });
    await eventually(() => applied(sent[4]!.eventId), { what: 'the last note' });

    expect(await effectOrder()).toEqual(sent.filter((envelope) => envelope !== unwritable).map((envelope) => envelope.eventId));
    expect(deadLetters.messages[0]!.headers['conduct-dlq-reason']).toBe('handler failed after 3 attempts: cannot write it');
    // The batch's write failed without blaming a message: then one write per message, the unwritable one three times.
    expect(callsByEvent.get(unwritable.eventId)).toBe(1 + 3);
    expect(writes).toBe(1 + 4 + 3);
    expect(await processed('NoteAdded', 'applied')).toBe(4);
  } finally {
    await deadLetters?.stop();
  }
});

/** The handlers plus `Blocks`, which holds its transaction (and its partition) open until `release()`. */
function gatedHandlers(): { handlers: InboxConsumerOptions['handlers']; release: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const Blocks = defineHandler({
    contract: NoteAddedData,
    async handle(envelope, manager) {
      await recordEffect(manager, envelope);
      await gate;
    },
  });
  return { handlers: { ...handlers, Blocks }, release };
}

it('applies the batches of several partitions at once with partitionsConcurrently, each partition still in order', async () => {
  const { handlers: blocking, release } = gatedHandlers();
  const held = fixtureEnvelope('Blocks', { text: 'held' }, 'case-held', { streamVersion: 1 });
  const others = notes('case-free', 3);
  const onPartition = (partition: number, ...envelopes: EventEnvelope[]) =>
    producer.send({ topic, messages: envelopes.map((envelope) => ({ ...toKafkaMessage(envelope), partition })) });
  await onPartition(0, held);
  await onPartition(1, ...others);
  await startConsumer({ handlers: blocking, partitionsConcurrently: 2 });

  // Partition 1 goes on while partition 0's transaction waits.
  await eventually(async () => (await Promise.all(others.map((note) => applied(note.eventId)))).every(Boolean), { what: 'partition 1 applied' });
  expect(await effects(held.eventId)).toBe(0);
  release();
  await eventually(() => applied(held.eventId), { what: 'partition 0 applied once released' });
  expect((await effectOrder()).filter((eventId) => eventId !== held.eventId)).toEqual(others.map((note) => note.eventId));
});

it('measures its lag from Kafka on a timer while it is stuck, and shows it back at 0 once it goes on', async () => {
  const { handlers: stuck, release } = gatedHandlers();
  const held = fixtureEnvelope('Blocks', { text: 'held' }, 'case-stuck', { streamVersion: 1 });
  const behind = notes('case-stuck', 4);
  await send(held, ...behind);
  await startConsumer({ handlers: stuck });
  const lag = () => metricSum('conduct_consumer_lag_messages', { consumer: consumerName, topic });
  const measuredAt = async () => (await metricValue('conduct_consumer_lag_measured_timestamp_seconds', { consumer: consumerName })) ?? 0;

  // Nothing committed while the first batch waits: all five are behind, and the measure stays fresh.
  await eventually(async () => (await lag()) === 5, { what: 'a lag of 5 while stuck' });
  const first = await measuredAt();
  await eventually(async () => (await measuredAt()) > first, { what: 'a later measurement while still stuck' });
  expect(await lag()).toBe(5);
  expect(await effects(held.eventId)).toBe(0);

  release();
  await eventually(async () => (await lag()) === 0, { what: 'lag 0 once it goes on' });
  expect(await Promise.all(behind.map((note) => applied(note.eventId)))).toEqual([true, true, true, true]);
});

it('refuses a messagesPerTransaction that is not a positive integer', () => {
  expect(
    () =>
      new InboxConsumer({ kafka, dataSource: db.dataSource, groupId: 'g', consumerName: 'c', topics: [topic], handlers, messagesPerTransaction: 0 }),
  ).toThrow(/messagesPerTransaction must be a positive integer/);
});
