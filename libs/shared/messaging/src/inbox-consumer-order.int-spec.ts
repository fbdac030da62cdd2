import { randomUUID } from 'node:crypto';
import { createTestDatabase, eventually, metricValue, TestDatabase, testKafka } from '@conduct/testing';
import { Kafka, Producer } from 'kafkajs';
import { EventEnvelope, toKafkaMessage } from './envelope';
import { defineHandler } from './inbox-handler';
import { InboxConsumer, InboxConsumerOptions } from './inbox-consumer';
import { messagingMigrations } from './migrations';
import { createTopicWithDeadLetters, fixtureEnvelope, NoteAddedData, quietLogger } from './testing/events-fixture';

/*
 * A read model that keeps a version per row used to drop an event that arrived after a later one
 * of its stream (`WHERE version < $new`): the cases list once stood at version 4 with the
 * escalation of v4 but without the missed deadline of v3. A consumer with inStreamOrder parks an
 * early event and applies it right after the one it waits for.
 */
jest.setTimeout(30_000);

let db: TestDatabase;
let kafka: Kafka;
let producer: Producer;
let topic: string;
let consumerName: string;
const running: InboxConsumer[] = [];

const handlers: InboxConsumerOptions['handlers'] = {
  NoteAdded: defineHandler({
    contract: NoteAddedData,
    async handle(envelope, manager) {
      await manager.query('INSERT INTO ordered_effects (stream_id, version, text) VALUES ($1, $2, $3)', [
        envelope.streamId,
        envelope.streamVersion,
        envelope.data.text,
      ]);
    },
  }),
};

async function startConsumer(options: Partial<InboxConsumerOptions> = {}): Promise<InboxConsumer> {
  const consumer = new InboxConsumer({
    kafka,
    dataSource: db.dataSource,
    groupId: `inbox-order-test-${randomUUID()}`,
    consumerName,
    topics: [topic],
    handlers,
    inStreamOrder: true,
    logger: process.env['DEBUG_ORDER'] ? { log: console.log, warn: console.log, error: console.log } : quietLogger,
    ...options,
  });
  running.push(consumer);
  await consumer.start();
  return consumer;
}

const note = (streamId: string, version: number, type = 'NoteAdded'): EventEnvelope =>
  fixtureEnvelope(type, { text: `v${version}` }, streamId, { streamVersion: version });

// One send, one partition (same key): Kafka keeps exactly this order.
const send = (...envelopes: EventEnvelope[]) => producer.send({ topic, acks: -1, messages: envelopes.map((envelope) => toKafkaMessage(envelope)) });

async function appliedVersions(streamId: string): Promise<number[]> {
  const rows = await db.dataSource.query<{ version: number }[]>('SELECT version FROM ordered_effects WHERE stream_id = $1 ORDER BY id', [streamId]);
  return rows.map((row) => row.version);
}

async function arrivedVersions(streamId: string): Promise<number[]> {
  const rows = await db.dataSource.query<{ version: number }[]>('SELECT version FROM arrived_effects WHERE stream_id = $1 ORDER BY id', [streamId]);
  return rows.map((row) => row.version);
}

async function parkedVersions(streamId: string): Promise<number[]> {
  const rows = await db.dataSource.query<{ stream_version: number }[]>(
    'SELECT stream_version FROM inbox_parked WHERE consumer = $1 AND stream_id = $2 ORDER BY stream_version',
    [consumerName, streamId],
  );
  return rows.map((row) => row.stream_version);
}

beforeAll(async () => {
  db = await createTestDatabase(messagingMigrations, 'inbox_order');
  await db.dataSource.query(
    'CREATE TABLE ordered_effects (id bigserial PRIMARY KEY, stream_id text NOT NULL, version integer NOT NULL, text text NOT NULL)',
  );
  await db.dataSource.query('CREATE TABLE arrived_effects (id bigserial PRIMARY KEY, stream_id text NOT NULL, version integer NOT NULL)');
  kafka = testKafka('messaging-inbox-order-test');
  producer = kafka.producer();
  await producer.connect();
});

beforeEach(async () => {
  ({ topic } = await createTopicWithDeadLetters(kafka, 'inbox-order'));
  consumerName = `consumer-${randomUUID()}`;
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
});

afterAll(async () => {
  await producer.disconnect();
  await db.drop();
});

it('applies a stream in version order whatever order Kafka carries it in, and never a version twice', async () => {
  const streamId = `stream-${randomUUID()}`;
  const [v1, v2, v3, v4, v5] = [1, 2, 3, 4, 5].map((version) => note(streamId, version));
  const unhandled = note(streamId, 6, 'SomethingElse');
  const v7 = note(streamId, 7);
  // A second v2 under another event id (a restored publisher handing the version out again): a
  // conflicting history, not applied, but counted so that it is seen.
  const staleCopy = note(streamId, 2);
  await send(v1!, v3!, v2!, v5!, v2!, staleCopy, v4!, v7, unhandled);
  await startConsumer();

  await eventually(async () => (await appliedVersions(streamId)).length === 6, { what: 'v1 to v7 applied' });
  // v6 has no handler here, yet it moves the stream on: v7 waited for it, then followed.
  expect(await appliedVersions(streamId)).toEqual([1, 2, 3, 4, 5, 7]);
  expect(await parkedVersions(streamId)).toEqual([]);
  const [stream] = await db.dataSource.query<{ version: number }[]>(
    'SELECT version FROM inbox_stream_versions WHERE consumer = $1 AND stream_id = $2',
    [consumerName, streamId],
  );
  expect(stream?.version).toBe(7);
  expect(await metricValue('conduct_consumer_processed_total', { consumer: consumerName, type: 'NoteAdded', outcome: 'parked' })).toBe(3);
  expect(await metricValue('conduct_consumer_processed_total', { consumer: consumerName, type: 'NoteAdded', outcome: 'conflict' })).toBe(1);
  expect(await metricValue('conduct_consumer_conflicts_total', { consumer: consumerName })).toBe(1);
});

it('keeps an event whose predecessor never came parked and visible, and applies it once the predecessor is re-driven', async () => {
  const streamId = `stream-${randomUUID()}`;
  const [v1, v2, v3] = [1, 2, 3].map((version) => note(streamId, version));
  await send(v1!, v3!);
  await startConsumer();
  await eventually(async () => (await parkedVersions(streamId)).length === 1, { what: 'v3 parked' });
  expect(await appliedVersions(streamId)).toEqual([1]);

  await send(v2!);
  await eventually(async () => (await appliedVersions(streamId)).length === 3, { what: 'v2 and then v3 applied' });
  expect(await appliedVersions(streamId)).toEqual([1, 2, 3]);
  expect(await parkedVersions(streamId)).toEqual([]);
});

it('runs onArrivals with each event as it comes, parked and stale ones too, and the handlers in stream order', async () => {
  const streamId = `stream-${randomUUID()}`;
  const [v1, v2, v3] = [1, 2, 3].map((version) => note(streamId, version));
  const staleCopy = note(streamId, 2);
  await send(v1!, v3!, v2!, v2!, staleCopy);
  await startConsumer({
    async onArrivals(arrivals, manager) {
      for (const { envelope } of arrivals) {
        await manager.query('INSERT INTO arrived_effects (stream_id, version) VALUES ($1, $2)', [envelope.streamId, envelope.streamVersion]);
      }
    },
  });

  await eventually(async () => (await arrivedVersions(streamId)).length === 4, { what: 'four events arrived' });
  // The redelivered v2 is a duplicate for the inbox: neither runs again.
  expect(await arrivedVersions(streamId)).toEqual([1, 3, 2, 2]);
  expect(await appliedVersions(streamId)).toEqual([1, 2, 3]);
});

it('without inStreamOrder applies in arrival order (what the version guards of read models relied on)', async () => {
  const streamId = `stream-${randomUUID()}`;
  const [v1, v2, v3] = [1, 2, 3].map((version) => note(streamId, version));
  await send(v1!, v3!, v2!);
  await startConsumer({ inStreamOrder: false });
  await eventually(async () => (await appliedVersions(streamId)).length === 3, { what: 'three events applied' });
  expect(await appliedVersions(streamId)).toEqual([1, 3, 2]);
});
