import { randomUUID } from 'node:crypto';
import { createTestDatabase, eventually, metricSum, metricValue, TestDatabase, testKafka } from '@conduct/testing';
import { Kafka, Message, Producer } from 'kafkajs';
import { EntityManager, EntitySubscriberInterface } from 'typeorm';
import { EventEnvelope, toKafkaMessage } from './envelope';
import { defineHandler } from './inbox-handler';
import { InboxConsumer, InboxConsumerOptions } from './inbox-consumer';
import { messagingMigrations } from './migrations';
import { createTopicWithDeadLetters, fixtureMetadata, NoteAddedData, quietLogger } from './testing/events-fixture';
import { recordTopics, TopicRecorder } from './testing/topic-recorder';

// eventually() waits up to 10 s by default; a loaded machine may need that and more.
jest.setTimeout(30_000);

let db: TestDatabase;
let kafka: Kafka;
let producer: Producer;
let topic: string;
let dlq: string;
let consumerName: string;
const running: { stop(): Promise<void> }[] = [];
const attemptsByEvent = new Map<string, number>();

// The effect has no unique key of its own: only the inbox keeps a redelivery from doubling it.
const recordEffect = (manager: EntityManager, envelope: EventEnvelope<{ text: string }>) =>
  manager.query('INSERT INTO test_effects (event_id, text) VALUES ($1, $2)', [envelope.eventId, envelope.data.text]);

const handlers: InboxConsumerOptions['handlers'] = {
  NoteAdded: defineHandler({
    contract: NoteAddedData,
    schemaVersion: 1,
    async handle(envelope, manager) {
      expect(envelope.data).toBeInstanceOf(NoteAddedData);
      await recordEffect(manager, envelope);
    },
  }),
  // Fails twice, then succeeds: the effects of the failed attempts must roll back.
  Flaky: defineHandler({
    contract: NoteAddedData,
    async handle(envelope, manager) {
      const attempt = (attemptsByEvent.get(envelope.eventId) ?? 0) + 1;
      attemptsByEvent.set(envelope.eventId, attempt);
      await recordEffect(manager, envelope);
      if (attempt < 3) throw new Error(`flaky attempt ${attempt}`);
    },
  }),
  Broken: defineHandler({
    contract: NoteAddedData,
    async handle(envelope, manager) {
      await recordEffect(manager, envelope);
      throw new Error('boom');
    },
  }),
};

async function startConsumer(options: Partial<InboxConsumerOptions> = {}): Promise<InboxConsumer> {
  const consumer = new InboxConsumer({
    kafka,
    dataSource: db.dataSource,
    groupId: `inbox-test-${randomUUID()}`,
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

function envelope(type: string, data: Record<string, unknown>, streamId: string, overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    streamId,
    streamType: 'TestStream',
    streamVersion: 1,
    occurredAt: '2025-03-03T10:00:00.000Z',
    recordedAt: '2025-03-03T10:00:00.123456Z',
    actor: fixtureMetadata.actor,
    correlationId: 'corr-inbox',
    data,
    metadata: fixtureMetadata,
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...overrides,
  };
}

const send = (...messages: (EventEnvelope | Message)[]) =>
  producer.send({ topic, messages: messages.map((message) => ('eventId' in message ? toKafkaMessage(message) : message)) });

async function effects(eventId: string): Promise<number> {
  const [row] = await db.dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM test_effects WHERE event_id = $1', [eventId]);
  return row!.count;
}

const applied = async (eventId: string): Promise<boolean> => (await effects(eventId)) === 1;

beforeAll(async () => {
  db = await createTestDatabase(messagingMigrations, 'inbox');
  await db.dataSource.query('CREATE TABLE test_effects (id bigserial PRIMARY KEY, event_id uuid NOT NULL, text text NOT NULL)');
  kafka = testKafka('messaging-inbox-test');
  producer = kafka.producer();
  await producer.connect();
});

beforeEach(async () => {
  ({ topic, dlq } = await createTopicWithDeadLetters(kafka, 'inbox'));
  consumerName = `consumer-${randomUUID()}`;
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
});

afterAll(async () => {
  await producer.disconnect();
  await db.drop();
});

it('applies a redelivered event once, and a full replay changes nothing', async () => {
  const consumer = await startConsumer();
  const twice = envelope('NoteAdded', { text: 'once' }, 'case-dup');
  const after = envelope('NoteAdded', { text: 'after' }, 'case-dup');

  // Same key, same partition: once `after` is applied, both copies of `twice` were processed.
  await send(twice, twice, after);
  await eventually(() => applied(after.eventId), { what: 'the event after the duplicate' });

  expect(await effects(twice.eventId)).toBe(1);
  expect(await metricValue('conduct_consumer_processed_total', { consumer: consumerName, type: 'NoteAdded', outcome: 'duplicate' })).toBe(1);
  await eventually(async () => (await metricSum('conduct_consumer_lag_messages', { consumer: consumerName, topic })) === 0, { what: 'lag 0' });

  // A new group under the same consumer name reads the topic again from the beginning.
  await consumer.stop();
  await startConsumer({ groupId: `inbox-replay-${randomUUID()}` });
  const afterReplay = envelope('NoteAdded', { text: 'after replay' }, 'case-dup');
  await send(afterReplay);
  await eventually(() => applied(afterReplay.eventId), { what: 'the event after the replay' });

  expect([await effects(twice.eventId), await effects(after.eventId)]).toEqual([1, 1]);
  expect(await metricValue('conduct_consumer_processed_total', { consumer: consumerName, type: 'NoteAdded', outcome: 'duplicate' })).toBe(4);
  const inbox = await db.dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM inbox WHERE consumer = $1', [consumerName]);
  expect(inbox).toEqual([{ count: 3 }]);
});

it('sends poison messages to the DLQ with the reason and goes on with the next one', async () => {
  let deadLetters: TopicRecorder | undefined;
  try {
    deadLetters = await recordTopics(kafka, [dlq]);
    await startConsumer();
    const badData = envelope('NoteAdded', { text: 42 }, 'case-poison');
    const newerVersion = envelope('NoteAdded', { text: 'v2' }, 'case-poison', { schemaVersion: 2 });
    const good = envelope('NoteAdded', { text: 'fine' }, 'case-poison');

    await send(
      { key: 'case-poison', value: 'not json {' },
      { key: 'case-poison', value: JSON.stringify({ ...envelope('NoteAdded', { text: 'x' }, 'case-poison'), actor: { role: 'OFFICER' } }) },
      badData,
      newerVersion,
      good,
    );
    await eventually(() => applied(good.eventId), { what: 'the good message after the poison' });
    await eventually(() => deadLetters!.messages.length === 4, { what: 'four dead letters' });

    const reasons = deadLetters.messages.map((message) => message.headers['conduct-dlq-reason']);
    expect(reasons[0]).toMatch(/^invalid JSON: /);
    expect(reasons[1]).toMatch(/^invalid envelope: .*actor.id: id must be a string/);
    expect(reasons[2]).toBe('invalid data for NoteAdded: text: text must be a string');
    expect(reasons[3]).toBe('unsupported schema version 2 of NoteAdded (handles 1)');
    const [first, , third] = deadLetters.messages;
    expect(first!.value).toBe('not json {');
    expect(first!.key).toBe('case-poison');
    expect(third!.headers).toMatchObject({
      'conduct-event-type': 'NoteAdded',
      'conduct-dlq-original-topic': topic,
      'conduct-dlq-original-offset': '2',
      'conduct-dlq-consumer': consumerName,
    });
    expect(JSON.parse(third!.value!)).toEqual(badData);
    expect(await effects(badData.eventId)).toBe(0);
  } finally {
    await deadLetters?.stop();
  }
});

it('skips and counts an event type it has no handler for', async () => {
  await startConsumer();
  const unknown = envelope('SomethingElse', { text: 'not for us' }, 'case-unknown');
  const next = envelope('NoteAdded', { text: 'next' }, 'case-unknown');

  await send(unknown, next);
  await eventually(() => applied(next.eventId));

  expect(await metricValue('conduct_consumer_skipped_total', { consumer: consumerName, type: 'SomethingElse' })).toBe(1);
  expect(await metricValue('conduct_consumer_dead_lettered_total', { consumer: consumerName })).toBeUndefined();
  const inbox = await db.dataSource.query<{ event_id: string }[]>('SELECT event_id FROM inbox WHERE consumer = $1', [consumerName]);
  expect(inbox).toEqual([{ event_id: next.eventId }]);
});

it('retries a failing handler, keeping only the effects of the attempt that succeeded, then dead-letters one that keeps failing', async () => {
  let deadLetters: TopicRecorder | undefined;
  try {
    deadLetters = await recordTopics(kafka, [dlq]);
    await startConsumer();
    const flaky = envelope('Flaky', { text: 'third time lucky' }, 'case-retry');
    const broken = envelope('Broken', { text: 'never' }, 'case-retry');
    const next = envelope('NoteAdded', { text: 'next' }, 'case-retry');

    await send(flaky, broken, next);
    await eventually(() => applied(next.eventId), { what: 'the message after the failing ones' });

    expect(attemptsByEvent.get(flaky.eventId)).toBe(3);
    expect(await effects(flaky.eventId)).toBe(1);
    expect(await effects(broken.eventId)).toBe(0);
    await eventually(() => deadLetters!.messages.length === 1);
    expect(deadLetters.messages[0]!.headers['conduct-dlq-reason']).toBe('handler failed after 3 attempts: boom');
    expect(JSON.parse(deadLetters.messages[0]!.value!)).toMatchObject({ eventId: broken.eventId });
  } finally {
    await deadLetters?.stop();
  }
});

it('with a searchPath, keeps the inbox and the effects in that schema', async () => {
  await db.dataSource.query('CREATE SCHEMA IF NOT EXISTS inbox_generation');
  await db.dataSource.query('CREATE TABLE IF NOT EXISTS inbox_generation.inbox (LIKE public.inbox INCLUDING ALL)');
  await db.dataSource.query('CREATE TABLE IF NOT EXISTS inbox_generation.test_effects (LIKE public.test_effects INCLUDING ALL)');
  await startConsumer({ searchPath: 'inbox_generation' });
  const note = envelope('NoteAdded', { text: 'in the schema' }, 'case-schema');

  await send(note);
  const inSchema = (table: string) =>
    db.dataSource.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM inbox_generation.${table} WHERE event_id = $1`, [note.eventId]);
  await eventually(async () => (await inSchema('test_effects'))[0]!.count === 1, { what: 'the effect in the schema' });

  expect(await inSchema('inbox')).toEqual([{ count: 1 }]);
  expect(await effects(note.eventId)).toBe(0);
  const publicInbox = await db.dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM inbox WHERE event_id = $1', [note.eventId]);
  expect(publicInbox).toEqual([{ count: 0 }]);
});

it('refuses a searchPath that is not a plain schema name', () => {
  expect(
    () =>
      new InboxConsumer({
        kafka,
        dataSource: db.dataSource,
        groupId: 'g',
        consumerName: 'c',
        topics: [topic],
        handlers,
        searchPath: 'x; DROP TABLE inbox',
      }),
  ).toThrow(/searchPath must be a lower-case schema name/);
});

it('calls onApplied after each transaction that applied events has committed, and not for duplicates', async () => {
  // TypeORM tells its subscribers of every commit: onApplied must come after one.
  let commits = 0;
  const counter = { afterTransactionCommit: () => void (commits += 1) } as EntitySubscriberInterface;
  db.dataSource.subscribers.push(counter);
  const commitsSeen: number[] = [];
  const first = envelope('NoteAdded', { text: 'first' }, 'case-nudge');
  const second = envelope('NoteAdded', { text: 'second' }, 'case-nudge');
  await startConsumer({ onApplied: () => void commitsSeen.push(commits) });
  const before = commits;
  await send(first, second);
  await eventually(() => applied(second.eventId), { what: 'both events' });
  await eventually(() => Promise.resolve(commitsSeen.length > 0), { what: 'onApplied' });
  // One call per committed transaction (both events may be in one), each after its commit.
  expect(commitsSeen[0]).toBeGreaterThan(before);
  expect(commitsSeen).toEqual([...new Set(commitsSeen)]);

  const calls = commitsSeen.length;
  await send(first);
  const marker = envelope('Unhandled', { text: 'marker' }, 'case-nudge-marker');
  await send(marker);
  await eventually(
    async () => (await metricValue('conduct_consumer_processed_total', { consumer: consumerName, type: 'Unhandled', outcome: 'skipped' })) === 1,
    { what: 'the marker after the duplicate' },
  );
  expect(commitsSeen).toHaveLength(calls);
  db.dataSource.subscribers.splice(db.dataSource.subscribers.indexOf(counter), 1);
});
