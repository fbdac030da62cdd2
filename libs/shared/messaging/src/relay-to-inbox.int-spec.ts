import { randomUUID } from 'node:crypto';
import { eventStoreMigrations, verifyChain } from '@conduct/event-store';
import { createTestDatabase, eventually, TestDatabase, testKafka } from '@conduct/testing';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { EventEnvelope } from './envelope';
import { InboxConsumer } from './inbox-consumer';
import { messagingMigrations } from './migrations';
import { OutboxRelay } from './outbox-relay';
import { createTopicWithDeadLetters, insertEvent, quietLogger } from './testing/events-fixture';

// eventually() waits up to 10 s by default; a loaded machine may need that and more.
jest.setTimeout(30_000);

// Two services: one appends and relays, the other consumes into its own database.
let publisherDb: TestDatabase;
let consumerDb: TestDatabase;
let pool: Pool;
let kafka: Kafka;
let relay: OutboxRelay;
let consumer: InboxConsumer;
const received: EventEnvelope<object>[] = [];

beforeAll(async () => {
  [publisherDb, consumerDb] = await Promise.all([
    createTestDatabase([...eventStoreMigrations, ...messagingMigrations], 'publisher'),
    createTestDatabase(messagingMigrations, 'subscriber'),
  ]);
  pool = new Pool({ connectionString: publisherDb.url, max: 2 });
  // pool.end() resolves before its connections have closed; dropping the database may then
  // terminate one, which the pool reports as an error event.
  pool.on('error', () => undefined);
  kafka = testKafka('messaging-relay-to-inbox-test');
  const { topic } = await createTopicWithDeadLetters(kafka, 'relay-to-inbox');
  relay = new OutboxRelay({ name: 'publisher', database: publisherDb.dataSource, kafka, route: () => ({ topic }), logger: quietLogger });
  consumer = new InboxConsumer({
    kafka,
    dataSource: consumerDb.dataSource,
    groupId: `subscriber-${randomUUID()}`,
    consumerName: 'subscriber',
    topics: [topic],
    logger: quietLogger,
    handlers: {
      NoteAdded: {
        handle(envelope) {
          received.push(envelope);
          return Promise.resolve();
        },
      },
    },
  });
  relay.start();
  await consumer.start();
});

afterAll(async () => {
  await relay.stop();
  await consumer.stop();
  await pool.end();
  await Promise.all([publisherDb.drop(), consumerDb.drop()]);
});

it('delivers committed events to another service in stream order within moments', async () => {
  const streamId = `case-${randomUUID()}`;
  const started = Date.now();
  let prevHash: string | undefined;
  for (let version = 1; version <= 5; version++) {
    ({ hash: prevHash } = await insertEvent(pool, { streamId, streamVersion: version, prevHash }));
  }

  await eventually(() => received.length === 5, { intervalMs: 5, what: 'five events in the other service' });

  expect(Date.now() - started).toBeLessThan(2000);
  expect(received.map((envelope) => envelope.streamVersion)).toEqual([1, 2, 3, 4, 5]);
  expect(verifyChain(received.map((envelope) => ({ ...envelope, metadata: envelope.metadata })))).toMatchObject({ intact: true, eventsChecked: 5 });
});
