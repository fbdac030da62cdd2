import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Admin, Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { createTestDatabase, TestDatabase, testInfrastructure, testKafka } from '@conduct/testing';
import { createServiceApp, ServiceApp } from './bootstrap';
import { BaseServiceConfig } from '@conduct/config';
import { ServiceRuntimeModule } from './service-runtime.module';
import { ReadinessIndicator, ReadinessService } from '@conduct/observability';

// Readiness against the real database through the app's own TypeORM DataSource, wired as a
// service wires it, plus Kafka through a pluggable indicator (describeCluster).
const kafkaIndicator = (admin: Admin): ReadinessIndicator => ({
  name: 'kafka',
  // As messaging registers it: commands need only PostgreSQL, so Kafka shows in the body only.
  informational: true,
  async check() {
    await admin.describeCluster();
  },
});

async function startApp(db: TestDatabase, kafka: Kafka): Promise<{ app: ServiceApp; admin: Admin }> {
  const admin = kafka.admin();
  @Module({
    imports: [
      ServiceRuntimeModule.forRoot({
        name: 'readiness-spec',
        env: { PORT: '3999', DATABASE_URL: db.url, KAFKA_BROKERS: testInfrastructure().kafkaBrokers.join(','), LOG_LEVEL: 'silent' },
        readiness: [kafkaIndicator(admin)],
      }),
      TypeOrmModule.forRootAsync({
        inject: [BaseServiceConfig],
        useFactory: (config: BaseServiceConfig) => ({ type: 'postgres', url: config.DATABASE_URL, retryAttempts: 0 }),
      }),
    ],
  })
  class ReadinessSpecModule {}
  return { app: await createServiceApp(ReadinessSpecModule, { name: 'readiness-spec' }), admin };
}

describe('/health/ready on real infrastructure', () => {
  let db: TestDatabase;
  let app: ServiceApp;
  let admin: Admin;

  beforeAll(async () => {
    db = await createTestDatabase([], 'readiness');
    ({ app, admin } = await startApp(db, testKafka('readiness-spec')));
  });

  afterAll(async () => {
    await app?.close();
    await admin?.disconnect();
    await db?.drop();
  });

  it('answers 200 when PostgreSQL and Kafka answer', async () => {
    const response = await request(app.getHttpServer()).get('/health/ready');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: { database: 'up', kafka: 'up' } });
  });

  it('stays ready while the broker cannot be reached, says so in the body, and does not wait for its retries', async () => {
    // kafkajs's default retries, as the services have them: a connect keeps trying for seconds.
    const unreachable = new Kafka({ clientId: 'nowhere', brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING });
    const other = await startApp(db, unreachable);
    try {
      const started = Date.now();
      const response = await request(other.app.getHttpServer()).get('/health/ready');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ready', checks: { database: 'up', kafka: 'down' } });
      // Probes are often given 1 s: the answer must not wait on a check that does not decide it.
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await other.app.close();
      await other.admin.disconnect();
    }
  });

  it('answers 503 once the process starts shutting down, before anything is closed', async () => {
    const other = await startApp(db, testKafka('readiness-spec-drain'));
    try {
      expect((await request(other.app.getHttpServer()).get('/health/ready')).status).toBe(200);
      void other.app.get(ReadinessService).beforeApplicationShutdown();
      const response = await request(other.app.getHttpServer()).get('/health/ready');
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.body).toMatchObject({ code: 'service.not-ready', detail: 'Not ready: shutting down', checks: { database: 'up' } });
    } finally {
      await other.app.close();
      await other.admin.disconnect();
    }
  });

  it('answers 503 naming the database once it is gone, while /health/live stays 200', async () => {
    await db.drop(); // terminates the app's connections and removes the database
    const response = await request(app.getHttpServer()).get('/health/ready');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ detail: 'Not ready: database unavailable', checks: { database: 'down', kafka: 'up' } });
    expect((await request(app.getHttpServer()).get('/health/live')).status).toBe(200);
  });
});
