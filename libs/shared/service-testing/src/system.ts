import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { mintToken, type Principal } from '@conduct/auth';
import { adminQuery, consumerGroupsCaughtUp, eventually, testInfrastructure, testKafka } from '@conduct/testing';

export const SERVICES = ['approval-service', 'violation-service', 'notification-service', 'reporting-service'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const TEST_JWT_SECRET = 'conduct-e2e-test-secret';

export interface RunningSystem {
  url(service: ServiceName): string;
  token(principal: Omit<Principal, 'scope'> & { scope?: Principal['scope'] }): string;
  /** The last lines each service logged: for failure messages. */
  logs(service: ServiceName): string;
  stop(): Promise<void>;
}

const repoRoot = join(__dirname, '..', '..', '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the four services as separate processes, exactly as `npm start` runs them, each on its
 * own fresh database and a free port, against the real PostgreSQL and Kafka of the test run.
 * Kafka consumer groups get a run-specific prefix so earlier runs' offsets do not interfere; it
 * resolves once every service's consumers have read what the topics held when they started.
 * `env` adds variables for every service (e.g. a short watcher interval).
 */
export async function startSystem(options: { env?: Record<string, string> } = {}): Promise<RunningSystem> {
  const { postgresUrl, kafkaBrokers } = testInfrastructure();
  const run = randomBytes(4).toString('hex');
  const processes = new Map<ServiceName, { child: ChildProcess; port: number; output: string[]; database: string }>();

  const stop = async (): Promise<void> => {
    await Promise.all(
      [...processes.values()].map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(killer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    for (const { database } of processes.values()) await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  };

  try {
    for (const service of SERVICES) {
      const database = `conduct_e2e_${run}_${service.split('-')[0]!}`;
      await adminQuery(`CREATE DATABASE ${database}`);
      const port = await freePort();
      const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${service}/src/main.ts`], {
        cwd: repoRoot,
        env: {
          ...process.env,
          PORT: String(port),
          DATABASE_URL: `${postgresUrl}/${database}`,
          KAFKA_BROKERS: kafkaBrokers.join(','),
          KAFKA_GROUP_PREFIX: `e2e-${run}`,
          JWT_SECRET: TEST_JWT_SECRET,
          LOG_LEVEL: process.env['E2E_LOG_LEVEL'] ?? 'warn',
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output: string[] = [];
      const keep = (chunk: Buffer) => {
        output.push(chunk.toString());
        if (output.length > 200) output.shift();
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      processes.set(service, { child, port, output, database });
    }
    await Promise.all(
      SERVICES.map((service) =>
        eventually(
          async () => {
            const entry = processes.get(service)!;
            if (entry.child.exitCode !== null) throw new Error(`${service} exited: ${entry.output.join('').slice(-2000)}`);
            const response = await fetch(`http://127.0.0.1:${entry.port}/health/ready`);
            // Ready takes commands; its consumers join in the background and say so in the body.
            const body = (await response.json()) as { checks?: Record<string, string> };
            return response.ok && Object.values(body.checks ?? {}).every((status) => status === 'up');
          },
          { timeoutMs: 60_000, intervalMs: 200, what: `${service} to be ready` },
        ),
      ),
    );
    // Each new service first reads what earlier tests left on the shared topics.
    await consumerGroupsCaughtUp(testKafka(), `e2e-${run}.`);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url: (service) => `http://127.0.0.1:${processes.get(service)!.port}`,
    token: (principal) => mintToken({ scope: {}, ...principal }, TEST_JWT_SECRET, '1h'),
    logs: (service) => processes.get(service)!.output.join('').slice(-4000),
    stop,
  };
}
