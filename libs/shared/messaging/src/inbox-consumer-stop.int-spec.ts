import { randomUUID } from 'node:crypto';
import { Kafka, Producer } from 'kafkajs';
import { createTestDatabase, eventually, TestDatabase, testKafka } from '@conduct/testing';
import { EventEnvelope, toKafkaMessage } from './envelope';
import { defineHandler } from './inbox-handler';
import { InboxConsumer } from './inbox-consumer';
import { messagingMigrations } from './migrations';
import { createTopicWithDeadLetters, fixtureEnvelope, NoteAddedData } from './testing/events-fixture';

// stopBefore lets a caller (reporting's rebuild up to a report's positions) end each partition at an
// offset even when later messages arrive in the same fetched batch.
jest.setTimeout(30_000);

let db: TestDatabase;
let kafka: Kafka;
let producer: Producer;

beforeAll(async () => {
  db = await createTestDatabase(messagingMigrations, 'inbox_stop');
  await db.dataSource.query('CREATE TABLE stop_effects (event_id uuid PRIMARY KEY)');
  kafka = testKafka('messaging-inbox-stop-test');
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer.disconnect();
  await db.drop();
});

it('takes a partition only up to the offset stopBefore names, though the rest came in the same batch, and commits no further', async () => {
  const { topic } = await createTopicWithDeadLetters(kafka, 'inbox-stop');
  // One stream, so one partition, offsets 0..9; sent before the consumer starts so they come as one batch.
  const notes: EventEnvelope[] = Array.from({ length: 10 }, (_, i) =>
    fixtureEnvelope('NoteAdded', { text: `note ${i}` }, 'case-stop', { streamVersion: i + 1 }),
  );
  await producer.send({ topic, messages: notes.map((note) => toKafkaMessage(note)) });
  const groupId = `inbox-stop-test-${randomUUID()}`;
  const seen: string[] = [];
  const consumer = new InboxConsumer({
    kafka,
    dataSource: db.dataSource,
    groupId,
    consumerName: `consumer-${randomUUID()}`,
    topics: [topic],
    handlers: {
      NoteAdded: defineHandler({
        contract: NoteAddedData,
        async handle(envelope, manager) {
          await manager.query('INSERT INTO stop_effects (event_id) VALUES ($1)', [envelope.eventId]);
        },
      }),
    },
    logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    stopBefore: (message) => {
      seen.push(message.offset);
      return Number(message.offset) > 5;
    },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await consumer.start();
    const committed = async () => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions.filter((p) => p.offset !== '-1');
    await eventually(async () => (await committed()).some((p) => p.offset === '6'), { what: 'the commit at the stop' });
    await consumer.stop();

    const rows = await db.dataSource.query<{ event_id: string }[]>('SELECT event_id FROM stop_effects');
    expect(rows.map((row) => row.event_id).sort()).toEqual(
      notes
        .slice(0, 6)
        .map((note) => note.eventId)
        .sort(),
    );
    expect((await committed()).map((p) => p.offset)).toEqual(['6']);
    // The message after the stop reached the consumer (it was fetched) and was refused, not just never fetched.
    expect(seen).toContain('6');
  } finally {
    await admin.disconnect();
  }
});

// keepRunning() joins in the background; a stop that comes while it is still connecting once left
// a consumer joining after the stop, alive past the end of its test (and of its process's shutdown).
it.each([0, 50, 300])('leaves no member in the group when stopped %i ms into keepRunning()', async (delayMs) => {
  const { topic } = await createTopicWithDeadLetters(kafka, 'inbox-stop-early');
  const groupId = `inbox-stop-early-${randomUUID()}`;
  const consumer = new InboxConsumer({
    kafka,
    dataSource: db.dataSource,
    groupId,
    consumerName: `consumer-${randomUUID()}`,
    topics: [topic],
    handlers: {},
    logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    consumer.keepRunning();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    await consumer.stop();
    // Long enough for a join that was still on its way to have happened.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const [group] = (await admin.describeGroups([groupId])).groups;
    expect(group?.members ?? []).toEqual([]);
  } finally {
    await admin.disconnect();
  }
});
