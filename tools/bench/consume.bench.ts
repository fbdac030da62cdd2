/**
 * Consume throughput: how fast an InboxConsumer applies a backlog (a new read model or a rebuild
 * reading its topics from the beginning). The same events are applied twice in the same run, by
 * a fresh consumer group and consumer name each time: one transaction per message (the previous
 * behaviour) and one transaction per batch (the default).
 *
 *   npm run bench:consume -- --events 5000
 *
 * Flags: --events N (5000), --rounds R (1; each round runs both modes, in alternating order so
 * that load from anything else on the machine weighs on both alike).
 * Env: CONDUCT_POSTGRES_URL (server, default postgres://postgres@127.0.0.1:5432), KAFKA_BROKERS
 * (127.0.0.1:9092). Creates and drops its own database and topic (6 partitions).
 * The last line of output is one JSON object.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { IsInt, IsNotEmpty, IsString, Min } from 'class-validator';
import { Kafka, logLevel } from 'kafkajs';
import { onServer } from './bench-support';
import { DataSource } from 'typeorm';
import { defineHandler, EventEnvelope, InboxConsumer, messagingMigrations, MessagingLogger, toKafkaMessage } from '@conduct/messaging';

const serverUrl = (process.env['CONDUCT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const { values: flags } = parseArgs({ options: { events: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '1' } } });
const events = positiveInteger('--events', flags.events);
const rounds = positiveInteger('--rounds', flags.rounds);
/** Events spread over this many streams (message keys), so every partition gets a share. */
const streams = 500;
const partitions = 6;

function positiveInteger(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

const quiet: MessagingLogger = { log: () => undefined, warn: () => undefined, error: (message) => console.error(message) };

// ---- the events and a realistic read-model handler (an insert and an upsert) --------------

class CaseNoteData {
  @IsString() @IsNotEmpty() caseId!: string;
  @IsString() @IsNotEmpty() text!: string;
  @IsInt() @Min(0) severity!: number;
}

function envelope(sequence: number): EventEnvelope {
  const streamId = `case-${sequence % streams}`;
  return {
    eventId: randomUUID(),
    type: 'CaseNoteAdded',
    schemaVersion: 1,
    streamId,
    streamType: 'Case',
    streamVersion: Math.floor(sequence / streams) + 1,
    occurredAt: '2025-03-03T10:00:00.000Z',
    recordedAt: '2025-03-03T10:00:00.123456Z',
    actor: { id: 'officer-0042', role: 'IA_INVESTIGATOR', unitId: 'unit-lahore-07' },
    correlationId: randomUUID(),
    jurisdiction: { province: 'Punjab', district: 'Lahore', unitId: 'unit-lahore-07' },
    data: { caseId: streamId, text: randomBytes(150).toString('base64'), severity: sequence % 3 },
    prevHash: randomBytes(32).toString('hex'),
    hash: randomBytes(32).toString('hex'),
  };
}

const readModel = `
  CREATE TABLE bench_case_notes (event_id uuid PRIMARY KEY, case_id text NOT NULL, text text NOT NULL, severity integer NOT NULL);
  CREATE TABLE bench_case_summaries (
    case_id      text        PRIMARY KEY,
    notes        integer     NOT NULL,
    max_severity integer     NOT NULL,
    last_version integer     NOT NULL,
    updated_at   timestamptz NOT NULL
  );`;

const handlers = {
  CaseNoteAdded: defineHandler({
    contract: CaseNoteData,
    schemaVersion: 1,
    async handle(event, manager) {
      await manager.query('INSERT INTO bench_case_notes (event_id, case_id, text, severity) VALUES ($1, $2, $3, $4)', [
        event.eventId,
        event.data.caseId,
        event.data.text,
        event.data.severity,
      ]);
      await manager.query(
        `INSERT INTO bench_case_summaries (case_id, notes, max_severity, last_version, updated_at) VALUES ($1, 1, $2, $3, now())
         ON CONFLICT (case_id) DO UPDATE SET notes = bench_case_summaries.notes + 1,
           max_severity = greatest(bench_case_summaries.max_severity, excluded.max_severity),
           last_version = excluded.last_version, updated_at = excluded.updated_at`,
        [event.data.caseId, event.data.severity, event.streamVersion],
      );
    },
  }),
};

// ---- running ------------------------------------------------------------------------------

interface Mode {
  key: 'perMessage' | 'batched';
  label: string;
  messagesPerTransaction?: number;
}

const modes: Mode[] = [
  { key: 'perMessage', label: 'one transaction per message', messagesPerTransaction: 1 },
  { key: 'batched', label: 'one transaction per batch' },
];

interface Tally {
  eventsPerSec: number;
  /** From the consumer's start, group join included. */
  seconds: number;
  /** From the first inbox row to the last: the apply rate alone. */
  applySeconds: number;
}

async function applied(dataSource: DataSource, consumerName: string): Promise<number> {
  const [{ count }] = await dataSource.query<[{ count: number }]>('SELECT count(*)::int AS count FROM inbox WHERE consumer = $1', [consumerName]);
  return count;
}

/** Times one consumer from its start (group join included) until the whole backlog is in its inbox. */
async function consumeAll(kafka: Kafka, dataSource: DataSource, topic: string, mode: Mode, round: number): Promise<Tally> {
  await dataSource.query('TRUNCATE bench_case_notes, bench_case_summaries');
  const consumerName = `bench-${mode.key}-${round}-${randomBytes(3).toString('hex')}`;
  const consumer = new InboxConsumer({
    kafka,
    dataSource,
    groupId: consumerName,
    consumerName,
    topics: [topic],
    handlers,
    logger: quiet,
    messagesPerTransaction: mode.messagesPerTransaction,
  });
  const started = performance.now();
  try {
    await consumer.start();
    let lastReport = performance.now();
    for (;;) {
      const count = await applied(dataSource, consumerName);
      if (count >= events) break;
      if (performance.now() - lastReport >= 5_000) {
        console.log(
          `  ${mode.label.padEnd(30)} ${((performance.now() - started) / 1_000).toFixed(0).padStart(4)} s  ${String(count).padStart(7)} applied`,
        );
        lastReport = performance.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await consumer.stop();
  }
  const seconds = (performance.now() - started) / 1_000;
  // Sanity: every event applied exactly once by the handler.
  const [{ notes, summed }] = await dataSource.query<[{ notes: number; summed: number }]>(
    'SELECT (SELECT count(*)::int FROM bench_case_notes) AS notes, (SELECT coalesce(sum(notes), 0)::int FROM bench_case_summaries) AS summed',
  );
  if (notes !== events || summed !== events) throw new Error(`${mode.label}: expected ${events} notes, got ${notes} rows and ${summed} counted`);
  const [{ applySeconds }] = await dataSource.query<[{ applySeconds: number }]>(
    'SELECT extract(epoch FROM max(processed_at) - min(processed_at))::float8 AS "applySeconds" FROM inbox WHERE consumer = $1',
    [consumerName],
  );
  return { eventsPerSec: Math.round(events / seconds), seconds, applySeconds };
}

const admin = (sql: string): Promise<void> => onServer(serverUrl, sql);

async function publish(kafka: Kafka, topic: string): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let sent = 0; sent < events; sent += 500) {
      const messages = Array.from({ length: Math.min(500, events - sent) }, (_, i) => toKafkaMessage(envelope(sent + i)));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

async function main(): Promise<void> {
  const suffix = randomBytes(6).toString('hex');
  const database = `conduct_bench_${suffix}`;
  const topic = `conduct.bench.consume.${suffix}`;
  const kafka = new Kafka({ clientId: 'bench-consume', brokers, logLevel: logLevel.NOTHING });
  const kafkaAdmin = kafka.admin();
  await admin(`CREATE DATABASE ${database}`);
  const dataSource = new DataSource({ type: 'postgres', url: `${serverUrl}/${database}`, migrations: messagingMigrations, logging: false });
  let json: string | undefined;
  try {
    await kafkaAdmin.connect();
    await kafkaAdmin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query(readModel);

    console.log(`consume benchmark: ${events} events on ${topic} (${partitions} partitions, ${streams} keys), db ${database}`);
    console.log(
      `handler: an insert and an upsert; load average at start ${loadavg()
        .map((load) => load.toFixed(2))
        .join(', ')}`,
    );
    const publishStarted = performance.now();
    await publish(kafka, topic);
    console.log(`published in ${((performance.now() - publishStarted) / 1_000).toFixed(1)} s`);

    const tallies = new Map<Mode['key'], Tally[]>(modes.map((mode) => [mode.key, []]));
    for (let round = 1; round <= rounds; round += 1) {
      for (const mode of round % 2 === 1 ? modes : [...modes].reverse()) {
        const tally = await consumeAll(kafka, dataSource, topic, mode, round);
        tallies.get(mode.key)!.push(tally);
        console.log(
          `  ${`${mode.label} round ${round}`.padEnd(40)} ${tally.seconds.toFixed(1).padStart(7)} s ${String(tally.eventsPerSec).padStart(7)} events/s` +
            ` (applying alone ${Math.round(events / tally.applySeconds)} events/s)`,
        );
      }
    }

    const total = (key: Mode['key']): Tally => {
      const seconds = tallies.get(key)!.reduce((sum, tally) => sum + tally.seconds, 0);
      const applySeconds = tallies.get(key)!.reduce((sum, tally) => sum + tally.applySeconds, 0);
      return { eventsPerSec: Math.round((events * rounds) / seconds), seconds, applySeconds };
    };
    const applyRate = (tally: Tally): number => Math.round((events * rounds) / tally.applySeconds);
    const perMessage = total('perMessage');
    const batched = total('batched');
    console.log('');
    console.log(`${'mode'.padEnd(32)}${'events'.padStart(9)}${'seconds'.padStart(10)}${'events/s'.padStart(10)}${'applying alone'.padStart(16)}`);
    for (const mode of modes) {
      const result = total(mode.key);
      console.log(
        `${mode.label.padEnd(32)}${String(events * rounds).padStart(9)}${result.seconds.toFixed(1).padStart(10)}${String(result.eventsPerSec).padStart(10)}` +
          `${String(applyRate(result)).padStart(16)}`,
      );
    }
    console.log(
      `\nbatched / per message = ${(batched.eventsPerSec / perMessage.eventsPerSec).toFixed(1)}x; load average at end ${loadavg()
        .map((load) => load.toFixed(2))
        .join(', ')}`,
    );
    const rounded = (tally: Tally) => ({
      eventsPerSec: tally.eventsPerSec,
      seconds: Number(tally.seconds.toFixed(2)),
      applyEventsPerSec: applyRate(tally),
    });
    json = JSON.stringify({ events, rounds, perMessage: rounded(perMessage), batched: rounded(batched) });
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await kafkaAdmin.deleteTopics({ topics: [topic] }).catch((error: unknown) => console.error(`could not delete ${topic}:`, error));
    await kafkaAdmin.disconnect();
  }
  console.log(json);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
