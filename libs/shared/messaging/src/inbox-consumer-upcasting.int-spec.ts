import { randomUUID } from 'node:crypto';
import { IsNotEmpty, IsString } from 'class-validator';
import { Upcasters } from '@conduct/event-store';
import { createTestDatabase, eventually, TestDatabase, testKafka } from '@conduct/testing';
import { Kafka, Producer } from 'kafkajs';
import { toKafkaMessage } from './envelope';
import { defineHandler } from './inbox-handler';
import { InboxConsumer } from './inbox-consumer';
import { messagingMigrations } from './migrations';
import { createTopicWithDeadLetters, fixtureEnvelope, quietLogger } from './testing/events-fixture';
import { recordTopics } from './testing/topic-recorder';

jest.setTimeout(30_000);

/** NoteAdded as of its second schema version: who wrote it joined the text. */
class NoteAddedV2 {
  @IsString() @IsNotEmpty() text!: string;
  @IsString() @IsNotEmpty() author!: string;
}

/*
 * The first schema change of an event would have dead-lettered its whole history in a rebuild: a
 * handler took only its own version. With the publisher's upcasters a consumer brings older
 * envelopes up to the version its handler takes; a version newer than that still goes to the DLQ.
 */
describe('InboxConsumer with upcasters (real Kafka and PostgreSQL)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    db = await createTestDatabase(messagingMigrations, 'inbox_upcasting');
    await db.dataSource.query('CREATE TABLE upcast_effects (event_id uuid PRIMARY KEY, text text NOT NULL, author text NOT NULL)');
    kafka = testKafka('messaging-inbox-upcasting-test');
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await db.drop();
  });

  const consumerFor = (topic: string, upcasters?: Upcasters) =>
    new InboxConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId: `inbox-upcasting-${randomUUID()}`,
      consumerName: `consumer-${randomUUID()}`,
      topics: [topic],
      maxAttempts: 1,
      logger: quietLogger,
      ...(upcasters ? { upcasters } : {}),
      handlers: {
        NoteAdded: defineHandler({
          contract: NoteAddedV2,
          schemaVersion: 2,
          async handle({ eventId, data }, manager) {
            await manager.query('INSERT INTO upcast_effects (event_id, text, author) VALUES ($1, $2, $3)', [eventId, data.text, data.author]);
          },
        }),
      },
    });

  it('applies a v1 envelope upcast to v2 and a v2 as it is, and dead-letters a v3 it cannot read', async () => {
    const { topic, dlq } = await createTopicWithDeadLetters(kafka, 'inbox-upcasting');
    const v1 = fixtureEnvelope('NoteAdded', { text: 'written before authors were recorded' }, 'stream-1', { schemaVersion: 1, streamVersion: 1 });
    const v2 = fixtureEnvelope('NoteAdded', { text: 'later', author: 'ia-rashid' }, 'stream-1', { schemaVersion: 2, streamVersion: 2 });
    const v3 = fixtureEnvelope('NoteAdded', { text: 'from the future', author: 'x', mood: 'calm' }, 'stream-1', {
      schemaVersion: 3,
      streamVersion: 3,
    });
    await producer.send({ topic, acks: -1, messages: [v1, v2, v3].map((envelope) => toKafkaMessage(envelope)) });
    const deadLetters = await recordTopics(kafka, [dlq]);
    const upcasters = new Upcasters().register<{ text: string }, { text: string; author: string }>('NoteAdded', 1, (data) => ({
      ...data,
      author: 'unknown',
    }));
    const consumer = consumerFor(topic, upcasters);
    try {
      await consumer.start();
      await eventually(() => deadLetters.messages.length === 1, { what: 'the v3 in the DLQ' });
      const rows = await db.dataSource.query<{ event_id: string; author: string }[]>(
        'SELECT event_id::text, author FROM upcast_effects WHERE event_id = ANY($1) ORDER BY text',
        [[v1.eventId, v2.eventId]],
      );
      expect(rows).toEqual([
        { event_id: v2.eventId, author: 'ia-rashid' },
        { event_id: v1.eventId, author: 'unknown' },
      ]);
      expect(deadLetters.messages[0]!.headers['conduct-dlq-reason']).toContain('unsupported schema version 3 of NoteAdded (handles 2)');
    } finally {
      await consumer.stop();
      await deadLetters.stop();
    }
  });

  it('without upcasters dead-letters the older version, as before', async () => {
    const { topic, dlq } = await createTopicWithDeadLetters(kafka, 'inbox-upcasting-none');
    const v1 = fixtureEnvelope('NoteAdded', { text: 'old' }, 'stream-2', { schemaVersion: 1 });
    await producer.send({ topic, acks: -1, messages: [toKafkaMessage(v1)] });
    const deadLetters = await recordTopics(kafka, [dlq]);
    const consumer = consumerFor(topic);
    try {
      await consumer.start();
      await eventually(() => deadLetters.messages.length === 1, { what: 'the v1 in the DLQ' });
      expect(deadLetters.messages[0]!.headers['conduct-dlq-reason']).toBe('unsupported schema version 1 of NoteAdded (handles 2)');
    } finally {
      await consumer.stop();
      await deadLetters.stop();
    }
  });
});
