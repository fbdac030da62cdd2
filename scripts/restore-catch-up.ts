/**
 * `npm run restore:catch-up -- <service>`: after restoring a service's database from a backup, and
 * before starting the service again, brings back from Kafka the events it had published since the
 * backup and rewinds its consumer groups (docs/operations.md, "Restoring PostgreSQL from a backup").
 *   <service>   approval-service, violation-service or notification-service
 *   --no-rewind leave its consumer groups where they are
 * DATABASE_URL names the restored database (default $CONDUCT_POSTGRES_URL/conduct_<name>);
 * KAFKA_BROKERS (default 127.0.0.1:9092) and KAFKA_GROUP_PREFIX as the service has them. Progress
 * goes to stderr; the last line of stdout is the report as JSON. Exit status 1 when a stream is
 * forked or incomplete (the report names each), 2 on a usage or connection error.
 */
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
// Relative imports: a tool outside the Nx projects.
import { restoreCatchUp } from '../libs/shared/messaging/src/restore-catch-up';
import { Topics } from '../libs/shared/messaging/src/topics';
import { kafkaSecurityFromEnv } from '../libs/shared/config/src/service-config';

/** What each service publishes: the topic its events are on. reporting-service has no events (rebuild its read models instead). */
const PUBLISHED: Record<string, string> = {
  'approval-service': Topics.approvals,
  'violation-service': Topics.cases,
  'notification-service': Topics.notifications,
};

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'no-rewind': { type: 'boolean', default: false } } });
  const [service] = positionals;
  const topic = service ? PUBLISHED[service] : undefined;
  if (!service || !topic || positionals.length > 1) {
    console.error(`usage: npm run restore:catch-up -- <${Object.keys(PUBLISHED).join('|')}> [--no-rewind]`);
    return 2;
  }
  const server = (process.env['CONDUCT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
  const databaseUrl = process.env['DATABASE_URL'] ?? `${server}/conduct_${service.replace(/-service$/, '')}`;
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim());
  const kafka = new Kafka({
    clientId: 'conduct-restore-catch-up',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
    ...kafkaSecurityFromEnv(),
  });
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const report = await restoreCatchUp({
      kafka,
      pool,
      topics: [topic],
      service,
      ...(process.env['KAFKA_GROUP_PREFIX'] ? { groupPrefix: process.env['KAFKA_GROUP_PREFIX'] } : {}),
      rewindConsumers: !values['no-rewind'],
      progress: (line) => console.error(`[restore:catch-up] ${line}`),
    });
    for (const problem of [...report.forked, ...report.incomplete])
      console.error(
        `[restore:catch-up] stream ${problem.streamId} at version ${problem.streamVersion} (event ${problem.eventId}): ${problem.reason}`,
      );
    console.log(JSON.stringify(report));
    return report.forked.length + report.incomplete.length > 0 ? 1 : 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    // Kafka refuses to move the offsets of a group that has members.
    console.error(
      `restore:catch-up failed: ${message}${/running instances|not empty|non-empty/i.test(message) ? ' (stop every replica of the service first)' : ''}`,
    );
    process.exit(2);
  },
);
