/**
 * `npm run chaos`: a bounded soak (about five minutes on two cores) of the whole system under
 * faults, on 127.0.0.1 only. Two replicas of every service run on a PostgreSQL cluster and a
 * three-node Kafka cluster of the soak's own (under .cache/faults/, removed at the end), with a mail
 * catcher and a webhook receiver. A mix of commands goes on throughout: cases, overdue takedown
 * notices, notes, approvals granted for two seconds, HQ report reads. Faults come in turn; with
 * each, a probe case is reported from the fault's start until one is accepted, and the time until
 * it reaches reporting-service is the fault's recovery time (recoverySeconds):
 *   kill -9 of one replica of each service, a broker killed and restarted, PostgreSQL restarted
 *   with -m immediate, the SMTP server holding its answers for 30 s.
 * Then the system settles and the invariant and effects checks run (nothing lost, nothing twice,
 * read models equal to a rebuild). Progress goes to stderr; the last line of stdout is one JSON
 * object. Exit status 1 when any check fails.
 *
 *   npm run chaos [-- --gap-seconds 20]
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { RunningSystem, ServiceName, SERVICES, startSystem } from '@conduct/service-testing';
import { OwnKafka, OwnPostgres, SmtpCatcher, startWebhookReceiver, WebhookReceiver } from '@conduct/testing';
import { FaultDriver, mailTo, onDatabase, pause, settledReport, SystemReport } from '../faults/fault-driver';

const { values: flags } = parseArgs({ options: { 'gap-seconds': { type: 'string', default: '20' } } });
/** Quiet time between two faults (traffic goes on). */
const GAP_MS = Number(flags['gap-seconds']) * 1000;
if (!Number.isFinite(GAP_MS) || GAP_MS < 1000) throw new Error('--gap-seconds must be at least 1');
/** The soak gives up (and cleans up) after this long, whatever happens. */
const HARD_LIMIT_MS = 20 * 60_000;

const began = Date.now();
const elapsed = (): string => `${Math.round((Date.now() - began) / 1000)}s`;
const progress = (message: string): void => void process.stderr.write(`[chaos ${elapsed().padStart(4)}] ${message}\n`);
const seconds = (ms: number): number => Math.round(ms / 100) / 10;

interface Soak {
  postgres: OwnPostgres;
  kafka: OwnKafka;
  mail: SmtpCatcher;
  receiver: WebhookReceiver;
  system: RunningSystem;
  driver: FaultDriver;
}

async function killReplica(soak: Soak, service: ServiceName, replica: number): Promise<void> {
  soak.system.signal(service, replica, 'SIGKILL');
  await soak.system.exited(service, replica);
  await soak.system.restart(service, replica);
}

/** The faults, in turn: a name and what breaks and repairs it. */
function faults(soak: Soak): { name: string; inject: () => Promise<void> }[] {
  const kills = (
    [
      ['approval-service', 0],
      ['violation-service', 1],
      ['notification-service', 0],
      ['reporting-service', 1],
    ] as const
  ).map(([service, replica]) => ({
    name: `kill -9 ${service}#${replica}`,
    inject: () => killReplica(soak, service, replica),
  }));
  return [
    ...kills,
    {
      name: 'kill -9 the leading Kafka broker, back after 10 s',
      inject: async () => {
        const node = await soak.kafka.leaderOf('conduct.cases.v1');
        soak.kafka.signal('SIGKILL', node);
        await soak.kafka.exited(node);
        await pause(10_000);
        await soak.kafka.restart();
      },
    },
    { name: 'PostgreSQL restarted with -m immediate', inject: () => soak.postgres.restartImmediately() },
    {
      name: 'SMTP server holding its answers for 30 s',
      inject: async () => {
        soak.mail.hold();
        await pause(30_000);
        soak.mail.release();
      },
    },
  ];
}

/** HQ reads alongside the commands, as headquarters would pull them. */
async function readReports(soak: Soak, until: () => boolean): Promise<number> {
  const analyst = soak.system.token({ subject: 'hq-1', roles: ['HQ_ANALYST'] });
  let reads = 0;
  while (!until()) {
    const replica = reads % 2;
    await fetch(`${soak.system.url('reporting-service', replica)}/reports/cases`, {
      headers: { authorization: `Bearer ${analyst}` },
      signal: AbortSignal.timeout(5000),
    })
      .then(() => (reads += 1))
      .catch(() => undefined);
    await pause(1000);
  }
  return reads;
}

/** Where `npm start -- --observe` finds the soak's services to scrape (deploy/observability/prometheus.yml, job conduct-soak). */
const PROMETHEUS_TARGETS = join(__dirname, '..', '..', '..', '..', '.cache', 'observe', 'targets', 'chaos.json');

/** Lists every replica for a local Prometheus, under its service's job, so that the alerts can be watched firing. */
async function listForPrometheus(system: RunningSystem, replicas: number): Promise<void> {
  const groups = SERVICES.map((service) => ({
    targets: Array.from({ length: replicas }, (_, replica) => new URL(system.url(service, replica)).host),
    labels: { job: `conduct-${service}`, run: 'chaos' },
  }));
  await mkdir(dirname(PROMETHEUS_TARGETS), { recursive: true });
  await writeFile(PROMETHEUS_TARGETS, JSON.stringify(groups, null, 2));
}

async function soak(state: Partial<Soak>): Promise<{ summary: Record<string, unknown>; clean: boolean }> {
  progress('starting PostgreSQL, a three-node Kafka cluster, a mail catcher and a webhook receiver');
  [state.postgres, state.kafka, state.mail, state.receiver] = await Promise.all([
    OwnPostgres.start(),
    OwnKafka.start({ nodes: 3 }),
    SmtpCatcher.start(),
    startWebhookReceiver(),
  ]);
  progress(`Kafka on ${state.kafka.brokers.join(',')}; starting two replicas of each of the four services`);
  state.system = await startSystem({
    replicas: 2,
    infrastructure: { postgresUrl: state.postgres.url, kafkaBrokers: state.kafka.brokers },
    env: { TAKEDOWN_WATCH_INTERVAL_MS: '1000', APPROVAL_EXPIRY_INTERVAL_MS: '1000', ...mailTo(state.mail) },
  });
  await listForPrometheus(state.system, 2);
  state.driver = new FaultDriver(state.system);
  const running = state as Soak;
  const { driver, system } = running;
  const accountId = await driver.registerAccount();
  await driver.subscribe(running.receiver.url, ['ViolationReported', 'TakedownNoticeIssued', 'TakedownDeadlineMissed', 'ApprovalExpired']);

  let stopping = false;
  const traffic = driver.mixedTraffic(accountId, 2, () => stopping);
  const reads = readReports(running, () => stopping);
  progress('traffic started');

  const injected: string[] = [];
  const recoverySeconds: Record<string, number> = {};
  for (const fault of faults(running)) {
    await pause(GAP_MS);
    progress(`fault: ${fault.name}`);
    // The probe starts with the fault: how long, from the fault's start, until a case reported
    // from then on is in HQ's read models (during the fault where the system keeps flowing).
    const start = Date.now();
    const [repaired, back] = await Promise.all([fault.inject().then(() => Date.now() - start), running.driver.probe(start)]);
    injected.push(fault.name);
    recoverySeconds[fault.name] = seconds(back);
    progress(
      `  repaired after ${seconds(repaired)} s; a case reported from the fault's start reached reporting-service after ${seconds(back)} s (${driver.commandsAccepted} commands accepted so far)`,
    );
  }
  await pause(GAP_MS);
  stopping = true;
  const [, reportReads] = await Promise.all([traffic, reads]);

  progress('traffic stopped; waiting for the system to settle, then checking it (with a rebuild of the read models)');
  const settling = Date.now();
  const report: SystemReport = await settledReport(system, running.kafka.brokers, { mail: running.mail, receiver: running.receiver, rebuild: true });
  recoverySeconds['settle after the traffic stopped'] = seconds(Date.now() - settling);
  const eventsProduced = (
    await Promise.all(
      (['approval-service', 'violation-service', 'notification-service'] as const).map((service) =>
        onDatabase(system, service, async (client) => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n),
      ),
    )
  ).reduce((sum, n) => sum + n, 0);
  const problemsByCheck = Object.entries(report) as [string, string[]][];
  for (const [check, problems] of problemsByCheck) {
    for (const problem of problems.slice(0, 10)) progress(`  ${check}: ${problem}`);
  }
  const summary = {
    commandsAccepted: driver.commandsAccepted,
    commandsRefused: driver.refused.length,
    reportReads,
    eventsProduced,
    mails: running.mail.mails.length,
    webhookRequests: running.receiver.received.length,
    lostEvents: report.lostEvents.length,
    phantomEvents: report.phantomEvents.length,
    duplicateEffects: report.duplicateEffects.length,
    lostEffects: report.lostEffects.length,
    readModelMismatches: report.readModelMismatches.length,
    unexpectedDeadLetters: report.unexpectedDeadLetters.length,
    brokenChains: report.brokenChains.length,
    unconsumed: report.unconsumed.length,
    faults: injected,
    recoverySeconds,
  };
  const clean = problemsByCheck.every(([, problems]) => problems.length === 0);
  return { summary, clean };
}

async function main(): Promise<void> {
  const state: Partial<Soak> = {};
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      progress("stopping the services and removing the soak's PostgreSQL and Kafka");
      await state.system?.stop().catch(() => undefined);
      await rm(PROMETHEUS_TARGETS, { force: true });
      const steps = [state.kafka?.destroy(), state.postgres?.destroy(), state.mail?.close(), state.receiver?.close()];
      await Promise.all(steps.map((step) => (step ?? Promise.resolve()).catch(() => undefined)));
    })());
  const interrupted = (signal: string) => () => {
    progress(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted('SIGINT'));
  process.once('SIGTERM', interrupted('SIGTERM'));
  const limit = setTimeout(() => {
    progress(`still running after ${HARD_LIMIT_MS / 60_000} minutes: giving up`);
    void cleanup().finally(() => process.exit(1));
  }, HARD_LIMIT_MS);

  try {
    const { summary, clean } = await soak(state);
    await cleanup();
    progress(clean ? 'every check passed' : 'CHECKS FAILED (see above)');
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.exitCode = clean ? 0 : 1;
  } catch (error) {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await cleanup();
    process.exitCode = 1;
  } finally {
    clearTimeout(limit);
  }
}

void main();
