/**
 * Rebuild throughput: how fast reporting-service rebuilds every read model from the beginning of
 * the topics (`npm run rebuild:reports`), in events per second.
 *
 *   npm run bench:rebuild
 *
 * It starts a Kafka broker of its own (fresh, on free ports, under .cache/faults/), so that the
 * shared local broker that `npm start` and the tests use is not filled with the benchmark's events,
 * and publishes at least BENCH_EVENTS events there: headquarters scenarios (cases with notices,
 * findings, sanctions, appeals and closures; approvals with decisions and publications; notices;
 * early-intervention flags), each chained as the relays publish them, plus one message that is not
 * JSON, planted in the middle of conduct.cases.v1. Then it runs the rebuild into a database of its own
 * and reports events/s, and checks that the planted message reached conduct.cases.v1.dlq: validation
 * stays on the path being measured.
 *
 * Baseline, same run: a bare kafkajs consumer reading the same topics from the beginning and
 * parsing each message, without validation or a database: how fast the events can arrive at all.
 *
 * Env: BENCH_EVENTS (200000), CONDUCT_POSTGRES_URL (server, default postgres://postgres@127.0.0.1:5432).
 * The database and the broker are removed at the end. Progress goes to stderr; the last line of
 * stdout is one JSON object: {"events","seconds","eventsPerSec","deadLettered","baseline":{...}}.
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { serviceMigrations } from '@conduct/event-sourcing';
import { EventEnvelope, deadLetterTopic, toKafkaMessage, Topics } from '@conduct/messaging';
import { OwnKafka } from '@conduct/testing';
import { Generations, READ_MODEL_TOPICS } from '../../apps/reporting-service/src/generations/generations';
import { reportingMigrations } from '../../apps/reporting-service/src/migrations';
import { readModels } from '../../apps/reporting-service/src/read-models';
import { formatProgress } from '../../apps/reporting-service/src/rebuild/rebuild-progress';
import { RebuildRunner } from '../../apps/reporting-service/src/rebuild/rebuild-runner';
import { reportScenario, scenarioEnvelopes } from '../../apps/reporting-service/src/testing/report-scenario';
import { numberFromEnv, onServer, progress, round } from './bench-support';

const serverUrl = (process.env['CONDUCT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const targetEvents = numberFromEnv('BENCH_EVENTS', 200_000);
const quiet = { log: () => undefined, warn: (message: string) => progress(message), error: (message: string) => progress(message) };

const admin = (sql: string): Promise<void> => onServer(serverUrl, sql);

/** Publishes scenarios (each with ids and provinces of its own) until at least `targetEvents`; returns how many went out. */
async function publishScenarios(kafka: Kafka): Promise<number> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let published = 0;
  let planted = false;
  const started = performance.now();
  let lastReport = started;
  try {
    for (let run = 0; published < targetEvents; run++) {
      const envelopes = scenarioEnvelopes(reportScenario(`b${run}`));
      const batches: [string, EventEnvelope<object>[]][] = [
        [Topics.cases, envelopes.cases],
        [Topics.approvals, envelopes.approvals],
        [Topics.notifications, envelopes.notifications],
      ];
      await producer.sendBatch({
        acks: -1,
        topicMessages: batches.map(([topic, list]) => ({ topic, messages: list.map((envelope) => toKafkaMessage(envelope as EventEnvelope)) })),
      });
      published += batches.reduce((sum, [, list]) => sum + list.length, 0);
      if (!planted && published >= targetEvents / 2) {
        await producer.send({ topic: Topics.cases, acks: -1, messages: [{ key: 'poison', value: '{ not json' }] });
        planted = true;
      }
      if (performance.now() - lastReport >= 5_000) {
        progress(`  published ${published} events (${Math.round(published / ((performance.now() - started) / 1000))}/s)`);
        lastReport = performance.now();
      }
    }
  } finally {
    await producer.disconnect();
  }
  return published;
}

/** The same topics read by a bare consumer that only parses each message: the rate Kafka and kafkajs allow. */
async function bareConsume(kafka: Kafka, expected: number): Promise<{ events: number; seconds: number; eventsPerSec: number }> {
  const consumer = kafka.consumer({ groupId: `bench-bare-${randomBytes(4).toString('hex')}` });
  let seen = 0;
  let parsed = 0;
  const started = performance.now();
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  await consumer.connect();
  await consumer.subscribe({ topics: READ_MODEL_TOPICS, fromBeginning: true });
  await consumer.run({
    eachBatch: ({ batch }) => {
      for (const message of batch.messages) {
        seen += 1;
        try {
          if (message.value) JSON.parse(message.value.toString('utf8'));
          parsed += 1;
        } catch {
          // the planted message
        }
      }
      if (seen >= expected) finished();
      return Promise.resolve();
    },
  });
  await done;
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  return { events: parsed, seconds: round(seconds, 2), eventsPerSec: Math.round(seen / seconds) };
}

async function dlqDepth(kafka: Kafka): Promise<number> {
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  try {
    const offsets = await kafkaAdmin.fetchTopicOffsets(deadLetterTopic(Topics.cases)).catch(() => []);
    return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  } finally {
    await kafkaAdmin.disconnect();
  }
}

async function main(): Promise<void> {
  progress(
    `bench:rebuild: ${targetEvents} events; load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
  );
  progress('starting a Kafka broker of its own…');
  const ownKafka = await OwnKafka.start();
  const database = `conduct_bench_rebuild_${randomBytes(4).toString('hex')}`;
  const kafka = new Kafka({ clientId: 'bench-rebuild', brokers: ownKafka.brokers, logLevel: logLevel.NOTHING });
  let dataSource: DataSource | undefined;
  try {
    progress(`publishing at least ${targetEvents} events on ${READ_MODEL_TOPICS.join(', ')}…`);
    const published = await publishScenarios(kafka);

    progress('baseline: a bare consumer reading every topic from the beginning…');
    const baseline = await bareConsume(kafka, published + 1);
    progress(`  ${baseline.eventsPerSec} events/s`);

    await admin(`CREATE DATABASE ${database}`);
    dataSource = new DataSource({
      type: 'postgres',
      url: `${serverUrl}/${database}`,
      migrations: serviceMigrations(reportingMigrations),
      logging: false,
    });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    progress(`rebuilding ${readModels.map((model) => model.name).join(', ')} into ${database}…`);
    const runner = new RebuildRunner({
      dataSource,
      generations: new Generations(dataSource, readModels),
      kafka,
      groupPrefix: 'bench',
      progressIntervalMs: 5_000,
      onProgress: (state) => progress(`  ${formatProgress(state)}`),
      logger: quiet,
    });
    const result = await runner.run();
    const seconds = result.durationMs / 1000;
    const deadLettered = await dlqDepth(kafka);
    progress(`rebuilt ${result.events} events in ${seconds.toFixed(1)} s; ${deadLettered} message(s) on ${deadLetterTopic(Topics.cases)}`);
    if (result.events !== published) throw new Error(`published ${published} events but the rebuild applied ${result.events}`);
    if (deadLettered !== 1) throw new Error(`the planted message should be the one dead letter, found ${deadLettered}`);
    console.log(
      JSON.stringify({
        events: result.events,
        seconds: round(seconds, 2),
        eventsPerSec: Math.round(result.events / seconds),
        deadLettered,
        baseline,
      }),
    );
  } finally {
    await dataSource?.destroy();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch((error: unknown) =>
      progress(`could not drop ${database}: ${String(error)}`),
    );
    await ownKafka.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
