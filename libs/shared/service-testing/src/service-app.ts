import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { mintLocalToken, type Principal } from '@conduct/auth';
import { ReadinessService } from '@conduct/observability';
import { createServiceApp, ServiceApp } from '@conduct/service-runtime';
import { adminQuery, consumerGroupsCaughtUp, eventually, serviceRoleUrl, testInfrastructure, testKafka } from '@conduct/testing';
import { TEST_WEBHOOK_NETWORKS } from './system';

/**
 * How long a test's hook may take to start a service. A service started for a test first reads
 * the shared topics' whole history (consumerGroupsCaughtUp allows 240 s), which grows with every
 * test that ran before it: a fresh clone's run had one start exceed the 60 s its hook allowed, a
 * different file each time as the order of the files changed.
 */
export const SERVICE_START_TIMEOUT_MS = 300_000;

export interface TestService {
  app: ServiceApp;
  /** A client on the service's database, for assertions on what it stored. */
  db: Client;
  token(principal: Omit<Principal, 'scope'> & { scope?: Principal['scope'] }): string;
  /** Stops the app and starts a new one on the same database, as a process restart would. */
  restart(): Promise<ServiceApp>;
  close(): Promise<void>;
}

/**
 * One service in-process with its production wiring (createServiceApp), on a fresh database
 * that the app migrates itself, against the real Kafka of the test run. It returns once the app's
 * consumers have caught up with the topics as they were at its start (see consumerGroupsCaughtUp).
 */
export interface TestServiceOptions {
  /** Brokers the service is told about instead of the test run's (e.g. a TcpProxy that a fault test closes). */
  kafkaBrokers?: string[];
  /** Wait for the consumers to join and catch up before returning (default true). */
  waitForConsumers?: boolean;
}

export async function startTestService(
  appModule: Parameters<typeof createServiceApp>[0],
  name: string,
  options: TestServiceOptions = {},
): Promise<TestService> {
  const { postgresUrl } = testInfrastructure();
  const kafkaBrokers = options.kafkaBrokers ?? testInfrastructure().kafkaBrokers;
  const database = `conduct_it_${name.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${database}`);
  Object.assign(process.env, {
    PORT: '3999', // not listened on: supertest drives the app in-process
    // As production runs: the service as its own role, the migrations as the database's owner.
    DATABASE_URL: await serviceRoleUrl(postgresUrl, database),
    DATABASE_MIGRATION_URL: `${postgresUrl}/${database}`,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_GROUP_PREFIX: `it-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    SHUTDOWN_DRAIN_MS: '0', // no load balancer to wait for in-process
    RATE_LIMIT_REQUESTS: '1000000', // tests drive thousands of requests with one token; the limit has tests of its own
    WEBHOOK_ALLOWED_NETWORKS: TEST_WEBHOOK_NETWORKS,
    UNITS_SEED_FILE: 'config/units.seed.json', // the hierarchy local runs start with (approval-service)
  });
  const groupPrefix = `${process.env['KAFKA_GROUP_PREFIX']!}.`;
  /** The app, once its consumers have read what the shared topics held when it started. */
  const startApp = async (): Promise<ServiceApp> => {
    const app = await createServiceApp(appModule, { name });
    if (options.waitForConsumers === false) return app;
    // Consumers join in the background (the service takes commands without Kafka): wait until
    // every readiness check, the informational ones on Kafka and the consumers included, is up.
    const readiness = app.get(ReadinessService);
    await eventually(async () => Object.values((await readiness.check()).checks).every((status) => status === 'up'), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: `${name} to be ready with its consumers in their groups`,
    });
    await consumerGroupsCaughtUp(testKafka(), groupPrefix);
    return app;
  };
  const db = new Client({ connectionString: `${postgresUrl}/${database}` });
  await db.connect();
  const service: TestService = {
    app: await startApp(),
    db,
    token: (principal) => mintLocalToken({ scope: {}, ...principal }, '1h'),
    async restart() {
      await service.app.close();
      service.app = await startApp();
      return service.app;
    },
    async close() {
      await db.end();
      await service.app.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
  return service;
}
