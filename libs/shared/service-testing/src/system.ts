import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { mintLocalToken, type Principal } from '@conduct/auth';
import {
  adminQuery,
  consumerGroupsCaughtUp,
  eventually,
  freePort,
  ProcessSignal,
  serviceRoleUrl,
  testInfrastructure,
  TestInfrastructure,
} from '@conduct/testing';
import { Kafka, logLevel } from 'kafkajs';

/** The tests' webhook receivers listen on loopback, which webhooks may not reach unless allowed. */
export const TEST_WEBHOOK_NETWORKS = '127.0.0.0/8,::1/128';

export const SERVICES = ['approval-service', 'violation-service', 'notification-service', 'reporting-service'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface SystemOptions {
  /** Variables for every service (e.g. a short watcher interval). */
  env?: Record<string, string>;
  /** Processes per service, each on its own port, sharing the service's database (default 1). */
  replicas?: number;
  /** PostgreSQL and Kafka to run on (a fault test's own); default: the test run's. */
  infrastructure?: TestInfrastructure;
}

export interface RunningSystem {
  url(service: ServiceName, replica?: number): string;
  /** The `postgres://` URL of the service's database (all its replicas share it). */
  databaseUrl(service: ServiceName): string;
  /** The consumer group prefix of this run (KAFKA_GROUP_PREFIX). */
  groupPrefix: string;
  token(principal: Omit<Principal, 'scope'> & { scope?: Principal['scope'] }): string;
  /** The last lines a replica logged: for failure messages. */
  logs(service: ServiceName, replica?: number): string;
  /** kill -9, SIGTERM, SIGSTOP or SIGCONT to one replica's process. */
  signal(service: ServiceName, replica: number, signal: ProcessSignal): void;
  /** True while the replica's process runs (a scenario checks that no process died or restarted). */
  running(service: ServiceName, replica: number): boolean;
  /** Resolves when the replica's process has exited (after a kill or a SIGTERM); its exit code or signal. */
  exited(service: ServiceName, replica: number): Promise<{ code: number | null; signal: string | null }>;
  /**
   * Starts a replica whose process ended, on the same port and database; resolves once it takes
   * commands (its consumers may still be joining: after a kill -9 the group waits out the dead
   * member's session).
   */
  restart(service: ServiceName, replica: number): Promise<void>;
  stop(): Promise<void>;
}

interface Replica {
  child: ChildProcess;
  port: number;
  output: string[];
  exit: Promise<{ code: number | null; signal: string | null }>;
}

const repoRoot = join(__dirname, '..', '..', '..', '..');

/**
 * The services run as production runs them: compiled JavaScript from dist/ (`npm run build`; the
 * e2e project's global setup builds before every run), not TypeScript transpiled at startup.
 */
function compiledMain(service: ServiceName): string {
  const main = join(repoRoot, 'dist', 'apps', service, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  return main;
}

/**
 * Starts the four services as separate processes, exactly as `npm start` runs them, each service
 * on a fresh database and each replica on a free port, against the test run's PostgreSQL and Kafka
 * or a fault test's own. Consumer groups get a run-specific prefix so earlier runs' offsets do not
 * interfere; it resolves once every replica takes commands and every consumer has read what the
 * topics held when it started.
 */
export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const { postgresUrl, kafkaBrokers } = options.infrastructure ?? testInfrastructure();
  const replicas = options.replicas ?? 1;
  const run = randomBytes(4).toString('hex');
  const groupPrefix = `e2e-${run}`;
  const databases = new Map<ServiceName, string>(SERVICES.map((service) => [service, `conduct_e2e_${run}_${service.split('-')[0]!}`]));
  const serviceUrls = new Map<ServiceName, string>();
  const processes = new Map<string, Replica>();
  const key = (service: ServiceName, replica: number): string => `${service}#${replica}`;
  const replicaOf = (service: ServiceName, replica = 0): Replica => {
    const found = processes.get(key(service, replica));
    if (!found) throw new Error(`no replica ${replica} of ${service}`);
    return found;
  };

  const launch = (service: ServiceName, replica: number, port: number): Replica => {
    const child = spawn(process.execPath, ['--enable-source-maps', compiledMain(service)], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        // As production runs: the service as its own role, the migrations as the database's owner.
        DATABASE_URL: serviceUrls.get(service)!,
        DATABASE_MIGRATION_URL: `${postgresUrl}/${databases.get(service)!}`,
        KAFKA_BROKERS: kafkaBrokers.join(','),
        KAFKA_GROUP_PREFIX: groupPrefix,
        LOG_LEVEL: process.env['E2E_LOG_LEVEL'] ?? 'warn',
        SERVICE_NAME: `${service}-${replica}`,
        SHUTDOWN_DRAIN_MS: '500',
        RATE_LIMIT_REQUESTS: '1000000', // tests drive thousands of requests with one token; the limit has tests of its own
        WEBHOOK_ALLOWED_NETWORKS: TEST_WEBHOOK_NETWORKS,
        UNITS_SEED_FILE: 'config/units.seed.json', // the hierarchy local runs start with (approval-service)
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    // E2E_LOG_DIR keeps each process's whole output in a file of its own, for a scenario to be read after.
    const logDir = process.env['E2E_LOG_DIR'];
    const logFile = logDir ? join(logDir, `${service}-${replica}.log`) : undefined;
    if (logDir) mkdirSync(logDir, { recursive: true });
    const keep = (chunk: Buffer): void => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
      if (logFile) appendFileSync(logFile, chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const entry = { child, port, output, exit };
    processes.set(key(service, replica), entry);
    return entry;
  };

  /** Ready takes commands; with `consumers` also every check in the body up (consumers joined). */
  const ready = (service: ServiceName, replica: number, consumers = true): Promise<unknown> =>
    eventually(
      async () => {
        const entry = replicaOf(service, replica);
        if (entry.child.exitCode !== null) throw new Error(`${service}#${replica} exited: ${entry.output.join('').slice(-2000)}`);
        const response = await fetch(`http://127.0.0.1:${entry.port}/health/ready`);
        const body = (await response.json()) as { checks?: Record<string, string> };
        return response.ok && (!consumers || Object.values(body.checks ?? {}).every((status) => status === 'up'));
      },
      { timeoutMs: 90_000, intervalMs: 200, what: `${service}#${replica} to be ready` },
    );

  const stop = async (): Promise<void> => {
    await Promise.all(
      [...processes.values()].map(async ({ child, exit }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        try {
          child.kill('SIGCONT'); // a frozen replica must be able to hear the SIGTERM
          child.kill('SIGTERM');
        } catch {
          return;
        }
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(killer);
      }),
    );
    for (const database of databases.values())
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, postgresUrl).catch(() => undefined);
  };

  try {
    for (const [service, database] of databases) {
      await adminQuery(`CREATE DATABASE ${database}`, postgresUrl);
      serviceUrls.set(service, await serviceRoleUrl(postgresUrl, database));
    }
    for (const service of SERVICES) {
      for (let replica = 0; replica < replicas; replica++) launch(service, replica, await freePort());
    }
    await Promise.all(SERVICES.flatMap((service) => Array.from({ length: replicas }, (_, replica) => ready(service, replica))));
    // Each new service first reads what earlier tests left on the shared topics.
    await consumerGroupsCaughtUp(new Kafka({ clientId: 'e2e-system', brokers: kafkaBrokers, logLevel: logLevel.NOTHING }), `${groupPrefix}.`);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url: (service, replica = 0) => `http://127.0.0.1:${replicaOf(service, replica).port}`,
    databaseUrl: (service) => `${postgresUrl}/${databases.get(service)!}`,
    groupPrefix,
    token: (principal) => mintLocalToken({ scope: {}, ...principal }, '1h'),
    logs: (service, replica = 0) => replicaOf(service, replica).output.join('').slice(-4000),
    signal: (service, replica, signal) => void replicaOf(service, replica).child.kill(signal),
    exited: (service, replica) => replicaOf(service, replica).exit,
    running: (service, replica) => {
      const { child } = replicaOf(service, replica);
      return child.exitCode === null && child.signalCode === null;
    },
    async restart(service, replica) {
      const previous = replicaOf(service, replica);
      if (previous.child.exitCode === null && previous.child.signalCode === null) throw new Error(`${service}#${replica} is still running`);
      launch(service, replica, previous.port);
      await ready(service, replica, false);
    },
    stop,
  };
}
