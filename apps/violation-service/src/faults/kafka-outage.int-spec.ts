import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startTestService, TestService } from '@conduct/service-testing';
import { eventually, freePort, TcpProxy, testInfrastructure } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { http, officer, people, violationReport } from '../testing/case-fixtures';

jest.setTimeout(120_000);

/*
 * The fault probe of the faults issue: a violation-service restarted while Kafka was away did
 * not take a command until its consumers had joined their groups, and exited when they could not
 * (ConsumerJoinTimeoutError). The write path needs only PostgreSQL: the events table is the outbox.
 * Here the service knows Kafka only through a TCP proxy that stays closed until the test opens it.
 */
describe('violation-service while Kafka is unreachable', () => {
  let proxy: TcpProxy;
  let service: TestService | undefined;

  beforeAll(async () => {
    const [host = '127.0.0.1', port = '9092'] = testInfrastructure().kafkaBrokers[0]!.split(':');
    proxy = new TcpProxy(await freePort(), { host, port: Number(port) });
  });
  afterAll(async () => {
    await service?.close();
    await proxy.close();
  });

  it('starts, takes commands and stays ready without Kafka, then delivers what it recorded once Kafka is back', async () => {
    const startedAt = Date.now();
    service = await startTestService(AppModule, SERVICE_NAME, { kafkaBrokers: [proxy.address], waitForConsumers: false });
    const startMs = Date.now() - startedAt;
    const api = http(service);
    const who = people(service);

    const serviceNumber = `KHI-${randomBytes(4).toString('hex')}`;
    const reported = await api.post('/cases', who.investigator, { ...violationReport(), officer: { ...officer, serviceNumber } }).expect(201);
    const { caseId } = reported.body as { caseId: string };
    const ready = await request(service.app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { database: 'up', kafka: 'down', consumers: 'down' } });
    // Fresh database migrations included; the goal is a service taking commands within 5 s.
    expect(startMs).toBeLessThan(5_000);

    await proxy.open();
    // Consumers retry their join with a pause of at most 10 s; the relay retries every 500 ms.
    await eventually(
      async () => {
        const { body } = await api.get(`/cases?officer=${serviceNumber}`, who.investigator).expect(200);
        return (body as { items: { caseId: string }[] }).items.some((item) => item.caseId === caseId);
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the case recorded during the outage in the cases list' },
    );
    const after = await request(service.app.getHttpServer()).get('/health/ready').expect(200);
    expect(after.body).toMatchObject({ checks: { kafka: 'up', consumers: 'up' } });
    console.log(`kafka-outage: started and took commands in ${startMs} ms without Kafka`);
  });
});
