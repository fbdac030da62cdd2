import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { mintToken, type Principal } from '@conduct/auth';
import { createServiceApp, ServiceApp } from '@conduct/service-runtime';
import { adminQuery, consumerGroupsCaughtUp, testInfrastructure, testKafka } from '@conduct/testing';

export const TEST_SERVICE_SECRET = 'conduct-integration-test-secret';

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
export async function startTestService(appModule: Parameters<typeof createServiceApp>[0], name: string): Promise<TestService> {
  const { postgresUrl, kafkaBrokers } = testInfrastructure();
  const database = `conduct_it_${name.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${database}`);
  Object.assign(process.env, {
    PORT: '3999', // not listened on: supertest drives the app in-process
    DATABASE_URL: `${postgresUrl}/${database}`,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_GROUP_PREFIX: `it-${randomBytes(4).toString('hex')}`,
    JWT_SECRET: TEST_SERVICE_SECRET,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
  });
  const groupPrefix = `${process.env['KAFKA_GROUP_PREFIX']!}.`;
  /** The app, once its consumers have read what the shared topics held when it started. */
  const startApp = async (): Promise<ServiceApp> => {
    const app = await createServiceApp(appModule, { name });
    await consumerGroupsCaughtUp(testKafka(), groupPrefix);
    return app;
  };
  const db = new Client({ connectionString: `${postgresUrl}/${database}` });
  await db.connect();
  const service: TestService = {
    app: await startApp(),
    db,
    token: (principal) => mintToken({ scope: {}, ...principal }, TEST_SERVICE_SECRET, '1h'),
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
