/**
 * The restore drill (`npm run drill:restore`, and restore-drill.e2e-spec.ts): violation-service's
 * database is backed up with pg_dump, more happens, the backup is restored, and the drill shows
 * what follows, on a PostgreSQL cluster and a Kafka broker of its own (removed at the end):
 *
 *  1. Restarted as it is, the service hands out again versions it had already published: a note on
 *     case B after the restore becomes version 3 a second time. The consumers that keep stream order
 *     do not apply it: they count and log a conflicting history (an alert fires), and reporting's
 *     timeline of B says `tampered` at version 3. Noticed, not silently merged.
 *  2. What the runbook says to do instead, before the service takes commands:
 *     `npm run restore:catch-up -- violation-service` brings back from Kafka the events published
 *     since the backup (case A's note: the same event, same id and hash), reports B as forked
 *     (an operator decides), and rewinds the service's consumer groups, so that its read models take
 *     in again what they lost (an approval event here). Case A then goes on at version 4.
 *
 * Progress goes to stderr; the CLI prints the report as one JSON line. Exit status 1 when a check fails.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { restoreCatchUp, RestoreCatchUpReport, Topics } from '@conduct/messaging';
import { RunningSystem, startSystem } from '@conduct/service-testing';
import { eventually, OwnKafka, OwnPostgres } from '@conduct/testing';
import { callService, FaultDriver, metricOf, onDatabase } from './fault-driver';

const run = promisify(execFile);

export interface RestoreDrillReport {
  /** Events violation-service published after the backup, lost from its database by the restore. */
  lostByRestore: number;
  /** Step 1: the note taken after a restore without catch-up. */
  reissued: { caseId: string; version: number; conflictsCounted: number; timeline: string; eventsAtVersion3: number };
  /** Step 2: the catch-up and what the service does after it. */
  catchUp: RestoreCatchUpReport;
  caseA: { sameEventRestored: boolean; nextVersion: number; timelineIntact: boolean };
  consumerRecovered: boolean;
  seconds: number;
}

interface TimelineAnswer {
  events: { streamId: string; streamVersion: number; eventId: string }[];
  verification: { streams: { streamId: string; status: string; brokenAt?: { streamVersion: number } }[] };
}

export async function runRestoreDrill(progress: (line: string) => void): Promise<RestoreDrillReport> {
  const began = Date.now();
  const [postgres, kafka] = await Promise.all([OwnPostgres.start(), OwnKafka.start()]);
  const work = await mkdtemp(join(tmpdir(), 'conduct-restore-drill-'));
  let system: RunningSystem | undefined;
  try {
    system = await startSystem({ infrastructure: { postgresUrl: postgres.url, kafkaBrokers: kafka.brokers } });
    progress('system started on its own PostgreSQL and Kafka');
    return { ...(await drill(system, kafka, join(work, 'violation.dump'), progress)), seconds: Math.round((Date.now() - began) / 1000) };
  } finally {
    await system?.stop().catch(() => undefined);
    await Promise.all([postgres.destroy(), kafka.destroy()]);
    await rm(work, { recursive: true, force: true });
  }
}

async function drill(
  system: RunningSystem,
  kafka: OwnKafka,
  dumpFile: string,
  progress: (line: string) => void,
): Promise<Omit<RestoreDrillReport, 'seconds'>> {
  const driver = new FaultDriver(system);
  const investigator = system.token({ subject: 'ia-rashid', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh' } });
  const analyst = system.token({ subject: 'hq-analyst', roles: ['HQ_ANALYST'], scope: {} });
  const call = (service: 'violation-service' | 'reporting-service', path: string, token: string, body?: object) =>
    callService(system, service, path, token, body);
  const note = async (caseId: string, text: string): Promise<number> => {
    const { status, body } = await call('violation-service', `/cases/${caseId}/notes`, investigator, { text });
    if (status !== 201) throw new Error(`note on ${caseId} refused: ${status} ${JSON.stringify(body)}`);
    return body['version'] as number;
  };
  const timeline = async (caseId: string): Promise<TimelineAnswer> =>
    (await call('reporting-service', `/cases/${caseId}/timeline`, analyst)).body as unknown as TimelineAnswer;
  const caseVersionsInReporting = async (caseId: string) =>
    (await timeline(caseId)).events.filter((event) => event.streamId === caseId).map((event) => event.streamVersion);
  /** The one value a query answers (the first column of its first row), undefined for no row. */
  const valueOf = async <T>(service: 'violation-service' | 'approval-service', sql: string, params: unknown[] = []): Promise<T | undefined> => {
    const rows = await onDatabase(system, service, async (client) => (await client.query<Record<string, T>>(sql, params)).rows);
    return rows[0] ? Object.values(rows[0])[0] : undefined;
  };
  const stopViolation = async () => {
    system.signal('violation-service', 0, 'SIGTERM');
    await system.exited('violation-service', 0);
  };

  // Before the backup: two cases with a notice each (version 2).
  const [caseA, caseB] = [await driver.reportCase(), await driver.reportCase()];
  if (!caseA || !caseB || !(await driver.serveNotice(caseA, 0)) || !(await driver.serveNotice(caseB, 0))) {
    throw new Error(`the cases were not set up: ${driver.refused.join('; ')}`);
  }
  await run('pg_dump', ['--format=custom', `--file=${dumpFile}`, `--dbname=${system.databaseUrl('violation-service')}`]);
  const eventsAtBackup = (await valueOf<number>('violation-service', 'SELECT count(*)::int FROM events')) ?? 0;
  progress(`backed up violation-service (${eventsAtBackup} events; cases A ${caseA} and B ${caseB} at version 2)`);

  // After it: a note on each case, and an approval event violation-service consumes.
  await note(caseA, 'Spoke to the SHO after the backup.');
  await note(caseB, 'The officer called after the backup.');
  await driver.registerAccount();
  const approvalEventId = await valueOf<string>(
    'approval-service',
    "SELECT event_id::text FROM events WHERE type = 'OfficialAccountRegistered' ORDER BY position DESC LIMIT 1",
  );
  if (!approvalEventId) throw new Error('approval-service recorded no OfficialAccountRegistered');
  const noteOfA = await valueOf<string>('violation-service', 'SELECT event_id::text FROM events WHERE stream_id = $1 AND stream_version = 3', [
    caseA,
  ]);
  const inboxHolds = async (eventId: string) =>
    (await valueOf<number>('violation-service', 'SELECT 1 FROM inbox WHERE event_id = $1 LIMIT 1', [eventId])) === 1;
  await eventually(async () => (await caseVersionsInReporting(caseA)).includes(3) && (await caseVersionsInReporting(caseB)).includes(3), {
    timeoutMs: 30_000,
    what: 'both notes in reporting',
  });
  await eventually(() => inboxHolds(approvalEventId), { timeoutMs: 30_000, what: 'the approval event in violation-service' });
  const eventsBeforeRestore = (await valueOf<number>('violation-service', 'SELECT count(*)::int FROM events')) ?? 0;

  await stopViolation();
  await run('pg_restore', ['--clean', '--if-exists', '--single-transaction', `--dbname=${system.databaseUrl('violation-service')}`, dumpFile]);
  progress(`restored the backup: ${eventsBeforeRestore - eventsAtBackup} events published since are gone from the database`);

  // 1. Restarted as it is: a version handed out twice.
  await system.restart('violation-service', 0);
  const reissuedVersion = await note(caseB, 'A note taken after the restore.');
  progress(`a note on B after the restore became version ${reissuedVersion} again`);
  // Reporting does not apply it: it counts a conflicting history, and B's timeline shows two version 3s.
  const conflictsCounted = await eventually(
    async () => {
      const counted = await metricOf(system, 'reporting-service', 'conduct_consumer_conflicts_total');
      return counted > 0 ? counted : undefined;
    },
    { timeoutMs: 30_000, what: 'the conflicting version counted by reporting-service' },
  );
  const bTimeline = await eventually(
    async () => {
      const stream = (await timeline(caseB)).verification.streams.find((candidate) => candidate.streamId === caseB);
      return stream?.status === 'tampered' ? stream : undefined;
    },
    { timeoutMs: 30_000, what: "B's timeline flagged" },
  );
  const bVersion3 = (await caseVersionsInReporting(caseB)).filter((version) => version === 3).length;
  progress(`flagged: ${conflictsCounted} conflicting version(s) counted by reporting-service; B's timeline ${bTimeline.status}`);

  // 2. The runbook's way: stopped again, caught up from Kafka, then started.
  await stopViolation();
  const pool = new Pool({ connectionString: system.databaseUrl('violation-service'), max: 2 });
  let catchUp: RestoreCatchUpReport;
  try {
    catchUp = await restoreCatchUp({
      kafka: new Kafka({ clientId: 'restore-drill', brokers: kafka.brokers, logLevel: logLevel.NOTHING }),
      pool,
      topics: [Topics.cases],
      service: 'violation-service',
      groupPrefix: system.groupPrefix,
      progress: (line) => progress(`catch-up: ${line}`),
    });
  } finally {
    await pool.end();
  }
  await system.restart('violation-service', 0);
  const restored = await valueOf<string>('violation-service', 'SELECT event_id::text FROM events WHERE stream_id = $1 AND stream_version = 3', [
    caseA,
  ]);
  const nextVersion = await note(caseA, 'A note after the catch-up.');
  const aStatus = await eventually(
    async () => {
      const answer = await timeline(caseA);
      const versions = answer.events.filter((event) => event.streamId === caseA).map((event) => event.streamVersion);
      const stream = answer.verification.streams.find((candidate) => candidate.streamId === caseA);
      return versions.includes(nextVersion) ? (stream?.status ?? 'missing') : undefined;
    },
    { timeoutMs: 30_000, what: "A's next version in reporting" },
  );
  const aIntact = aStatus === 'intact';
  const consumerRecovered = await eventually(() => inboxHolds(approvalEventId), { timeoutMs: 30_000, what: 'the approval event taken in again' });
  progress(`after the catch-up: A went on at version ${nextVersion}, its timeline ${aStatus}`);
  return {
    lostByRestore: eventsBeforeRestore - eventsAtBackup,
    reissued: {
      caseId: caseB,
      version: reissuedVersion,
      conflictsCounted,
      timeline: `${bTimeline.status} at version ${bTimeline.brokenAt?.streamVersion ?? '?'}`,
      eventsAtVersion3: bVersion3,
    },
    catchUp,
    caseA: { sameEventRestored: restored === noteOfA, nextVersion, timelineIntact: aIntact },
    consumerRecovered,
  };
}

if (require.main === module) {
  const progress = (line: string) => void process.stderr.write(`[drill:restore] ${line}\n`);
  runRestoreDrill(progress).then(
    (report) => {
      const passed =
        report.reissued.conflictsCounted > 0 &&
        report.catchUp.forked.some((problem) => problem.streamId === report.reissued.caseId) &&
        report.caseA.sameEventRestored &&
        report.caseA.timelineIntact &&
        report.consumerRecovered;
      progress(passed ? 'drill passed' : 'drill FAILED: see the report');
      console.log(JSON.stringify(report));
      process.exit(passed ? 0 : 1);
    },
    (error: unknown) => {
      progress(`drill failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
