/**
 * `npm run rebuild:reports`: rebuilds every read model of reporting-service into a new
 * generation and switches the running service over once it has caught up
 * (docs/reporting-rebuild-and-timeline.md). Progress goes to stderr at most once a second; the
 * summary line to stdout. Exit code 0 when the new generation is active, 1 otherwise.
 *
 * `-- --until '<positions JSON>'` (or `--until-file <report or stamp>`): rebuilds only up to a
 * report's positions stamp into a snapshot generation, which reports read with `?generation=N`;
 * the service keeps answering from its active generation. Exit code 0 when the snapshot is kept.
 *
 * Environment: DATABASE_URL (default $CONDUCT_POSTGRES_URL/conduct_reporting, the server defaulting
 * to postgres://postgres@127.0.0.1:5432), KAFKA_BROKERS (default 127.0.0.1:9092), KAFKA_GROUP_PREFIX
 * (the service's, if it runs with one).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { kafkaSecurityFromEnv } from '@conduct/config';
import { serviceMigrations } from '@conduct/event-sourcing';
import { Generations } from '../generations/generations';
import { reportingMigrations } from '../migrations';
import { readModels } from '../read-models';
import { parseRebuildArguments } from './rebuild-arguments';
import { formatProgress } from './rebuild-progress';
import { RebuildResult, RebuildRunner } from './rebuild-runner';

const server = (process.env['CONDUCT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const databaseUrl = process.env['DATABASE_URL'] ?? `${server}/conduct_reporting`;
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092')
  .split(',')
  .map((broker) => broker.trim())
  .filter(Boolean);
const groupPrefix = process.env['KAFKA_GROUP_PREFIX'] || undefined;

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The last line, on stdout: what the rebuild left behind. */
function summary(result: RebuildResult): string {
  const from = result.previous === null ? 'no active generation' : `g${result.previous}`;
  const dropped = result.dropped.length ? `; dropped ${result.dropped.map((n) => `g${n}`).join(', ')}` : '';
  const took = `${result.events} events in ${(result.durationMs / 1000).toFixed(1)}s`;
  if (result.status === 'active') return `rebuilt: g${result.generation} active (was ${from}), ${took}${dropped}`;
  const exactly = result.differences?.length ? `differs from the stamp at ${result.differences.join('; ')}` : 'positions equal to the stamp';
  const active = result.previous === null ? 'no generation is active' : `g${result.previous} stays active`;
  return `rebuilt: g${result.generation} snapshot (read with ?generation=${result.generation}; ${active}), ${took}, ${exactly}${dropped}`;
}

async function main(): Promise<void> {
  // Bad arguments fail before touching the database or Kafka.
  const { until } = parseRebuildArguments(process.argv.slice(2), (path) => readFileSync(path, 'utf8'));
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, migrations: serviceMigrations(reportingMigrations), logging: false });
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new Error(`cannot connect to ${databaseUrl.replace(/\/\/[^@/]*@/, '//')}: ${describe(error)}`);
  }
  const aborted = new AbortController();
  const abort = () => {
    process.stderr.write('stopping: the consumer commits and the unfinished generation is dropped by the next rebuild\n');
    aborted.abort();
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    // The registry must exist even if the service never started on this database.
    await dataSource.runMigrations({ transaction: 'each' });
    const kafka = new Kafka({ clientId: 'reporting-rebuild', brokers, logLevel: logLevel.NOTHING, retry: { retries: 3 }, ...kafkaSecurityFromEnv() });
    const runner = new RebuildRunner({
      dataSource,
      generations: new Generations(dataSource, readModels),
      kafka,
      ...(groupPrefix ? { groupPrefix } : {}),
      signal: aborted.signal,
      ...(until ? { until } : {}),
      onProgress: (progress) => process.stderr.write(`${formatProgress(progress)}\n`),
      logger: {
        log: () => undefined,
        warn: (message) => process.stderr.write(`${message}\n`),
        error: (message) => process.stderr.write(`${message}\n`),
      },
    });
    const upTo = until ? ' up to the positions stamp (a snapshot; the service is not switched)' : '';
    process.stderr.write(`rebuilding ${readModels.map((model) => model.name).join(', ')} from Kafka ${brokers.join(',')}${upTo}\n`);
    process.stdout.write(`${summary(await runner.run())}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`rebuild failed: ${describe(error)}\n`);
    process.exit(1);
  },
);
