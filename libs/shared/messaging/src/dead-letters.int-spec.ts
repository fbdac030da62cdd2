import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, eventually, metricValue, TestDatabase, testInfrastructure, testKafka } from '@conduct/testing';
import { Admin, Kafka, Producer } from 'kafkajs';
import { EventEnvelope, toKafkaMessage } from './envelope';
import { readDeadLetters } from './dead-letters';
import { defineHandler } from './inbox-handler';
import { InboxConsumer } from './inbox-consumer';
import { messagingMigrations } from './migrations';
import { createTopicWithDeadLetters, fixtureEnvelope, NoteAddedData, quietLogger } from './testing/events-fixture';

jest.setTimeout(60_000);
const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..', '..', '..');

/*
 * Scenario 7 of the faults issue: poison messages. A message of invalid JSON, one whose data breaks
 * its contract and one whose handler keeps failing, on one partition among good events: one DLQ
 * record each, the partition moves on, and `npm run dlq` re-drives the parked one once its cause
 * is fixed; the read model then takes it in, and the events that waited behind it.
 */
describe('poison messages and npm run dlq (real Kafka and PostgreSQL)', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: Producer;
  let admin: Admin;
  let broken = true;

  beforeAll(async () => {
    db = await createTestDatabase(messagingMigrations, 'dead_letters');
    await db.dataSource.query('CREATE TABLE poison_effects (id bigserial PRIMARY KEY, stream_id text NOT NULL, version integer NOT NULL)');
    kafka = testKafka('messaging-dead-letters-test');
    producer = kafka.producer();
    admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
  });
  afterAll(async () => {
    await Promise.all([producer.disconnect(), admin.disconnect()]);
    await db.drop();
  });

  const dlqCli = async (...args: string[]): Promise<string> =>
    (
      await run(process.execPath, ['-r', '@swc-node/register', 'scripts/dlq.ts', ...args], {
        cwd: repoRoot,
        env: { ...process.env, KAFKA_BROKERS: testInfrastructure().kafkaBrokers.join(',') },
      })
    ).stdout;

  it('parks each poison message once, moves the partition on, and applies the re-driven one in its place', async () => {
    const { topic, dlq } = await createTopicWithDeadLetters(kafka, 'poison');
    const groupId = `poison-${randomUUID()}`;
    const consumer = new InboxConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId,
      consumerName: `consumer-${randomUUID()}`,
      topics: [topic],
      inStreamOrder: true,
      logger: quietLogger,
      lagIntervalMs: 100,
      handlers: {
        NoteAdded: defineHandler({
          contract: NoteAddedData,
          async handle({ streamId, streamVersion, data }, manager) {
            if (broken && data.text === 'poison') throw new Error('the handler cannot take this yet');
            await manager.query('INSERT INTO poison_effects (stream_id, version) VALUES ($1, $2)', [streamId, streamVersion]);
          },
        }),
      },
    });
    const streamId = `stream-${randomUUID()}`;
    const note = (version: number, text = `note ${version}`): EventEnvelope =>
      fixtureEnvelope('NoteAdded', { text }, streamId, { streamVersion: version });
    const messages = [
      { key: streamId, value: '{"not": json' },
      toKafkaMessage(fixtureEnvelope('NoteAdded', { words: 'no text field' }, streamId, { streamVersion: 999 })),
      ...Array.from({ length: 50 }, (_, i) => toKafkaMessage(note(i + 1))),
      toKafkaMessage(note(51, 'poison')),
      ...Array.from({ length: 100 }, (_, i) => toKafkaMessage(note(i + 52))),
    ];
    await producer.send({ topic, acks: -1, messages });
    const applied = async (): Promise<number[]> =>
      (await db.dataSource.query<{ version: number }[]>('SELECT version FROM poison_effects WHERE stream_id = $1 ORDER BY id', [streamId])).map(
        (row) => row.version,
      );
    const committed = async (): Promise<number> =>
      Number((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions.find((p) => Number(p.offset) > 0)?.offset ?? 0);

    const started = Date.now();
    await consumer.start();
    try {
      await eventually(async () => (await committed()) === messages.length, {
        timeoutMs: 30_000,
        intervalMs: 50,
        what: 'the partition committed to its end',
      });
      const movedOnMs = Date.now() - started;
      const letters = await readDeadLetters(kafka, [topic]);
      expect(letters.map((letter) => letter.reason.split(':')[0])).toEqual([
        'invalid JSON',
        'invalid data for NoteAdded',
        'handler failed after 5 attempts',
      ]);
      expect(letters.every((letter) => letter.topic === dlq)).toBe(true);
      // Measured on the lag meter's timer, from Kafka: what an alert on new dead letters watches.
      await eventually(async () => (await metricValue('conduct_dead_letter_messages', { topic: dlq })) === 3, {
        what: 'the dead-letter depth measured',
      });
      // v51 is parked in the DLQ; the hundred after it wait for it, in order.
      expect(await applied()).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      console.log(`poison messages: partition of ${messages.length} committed to its end ${movedOnMs} ms after the consumer started`);

      const listed = await dlqCli('list', '--topic', topic);
      expect(listed).toContain('3 dead letter(s)');
      const poisoned = letters[2]!;
      expect(await dlqCli('show', poisoned.id)).toContain('"text": "poison"');
      broken = false; // the cause is fixed
      expect(await dlqCli('redrive', poisoned.id)).toContain(`re-driven ${poisoned.id} to ${topic}/`);
      await eventually(async () => (await applied()).length === 151, { timeoutMs: 20_000, what: 'the re-driven event and the hundred behind it' });
      expect(await applied()).toEqual(Array.from({ length: 151 }, (_, i) => i + 1));
    } finally {
      await consumer.stop();
    }
  });
});
