import request from 'supertest';
import { Producer } from 'kafkajs';
import { Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { approvalEnvelopes } from '../testing/approval-events';
import { publish } from '../testing/published-events';

// A fresh generation first reads the shared topics' whole history (thousands of events from all test runs).
jest.setTimeout(240_000);
const CATCH_UP_MS = 180_000;

let service: TestService;
let producer: Producer;

beforeAll(async () => {
  service = await startTestService(AppModule, SERVICE_NAME);
  producer = testKafka('reporting-generations-test').producer();
  await producer.connect();
}, SERVICE_START_TIMEOUT_MS);

afterAll(async () => {
  await producer?.disconnect();
  await service?.close();
});

const analyst = () => service.token({ subject: 'hq-1', roles: ['HQ_ANALYST'], scope: { province: 'sindh' } });

async function statusOf(approvalId: string): Promise<string | undefined> {
  const { rows } = await service.db.query<{ status: string }>('SELECT status FROM rm_g1.approvals_report WHERE approval_id = $1', [approvalId]);
  return rows[0]?.status;
}

it('creates generation 1 on a fresh database, fills it from Kafka and answers reports from it', async () => {
  const { rows } = await service.db.query('SELECT generation, schema_name, status FROM read_model_generations');
  expect(rows).toEqual([{ generation: 1, schema_name: 'rm_g1', status: 'active' }]);
  const { approvalId, envelopes } = approvalEnvelopes({ title: 'Generation one' });

  await publish(producer, Topics.approvals, envelopes);
  await eventually(async () => (await statusOf(approvalId)) === 'granted', {
    timeoutMs: CATCH_UP_MS,
    intervalMs: 250,
    what: 'the approval in rm_g1',
  });

  const response = await request(service.app.getHttpServer())
    .get('/reports/approvals')
    .query({ pageSize: 100, from: '2026-03-01T00:00:00.000Z', to: '2026-03-01T23:59:59.000Z' })
    .set('Authorization', `Bearer ${analyst()}`)
    .expect(200);
  const row = (response.body as { items: { approvalId: string; status: string; title: string }[] }).items.find(
    (item) => item.approvalId === approvalId,
  );
  expect(row).toMatchObject({ status: 'granted', title: 'Generation one' });
  const { rows: positions } = await service.db.query<{ offset: string }>('SELECT "offset"::text AS "offset" FROM rm_g1.positions WHERE topic = $1', [
    Topics.approvals,
  ]);
  expect(positions.length).toBeGreaterThan(0);
});

it('applies a replayed message once: publishing the same events twice leaves the same rows', async () => {
  const { approvalId, envelopes } = approvalEnvelopes();
  const requestedOnly = approvalEnvelopes({ granted: false });
  await publish(producer, Topics.approvals, envelopes);
  await eventually(async () => (await statusOf(approvalId)) === 'granted', { timeoutMs: CATCH_UP_MS, intervalMs: 250, what: 'the first delivery' });
  const snapshot = async () =>
    (await service.db.query('SELECT * FROM rm_g1.approvals_report WHERE approval_id = $1', [approvalId])).rows as unknown[];
  const before = await snapshot();

  // The same messages again, then one more on the same key: once it is applied, the replay was processed.
  await publish(producer, Topics.approvals, envelopes);
  const marker = { ...requestedOnly.envelopes[0]!, streamId: approvalId, eventId: requestedOnly.envelopes[0]!.eventId };
  await publish(producer, Topics.approvals, [marker]);
  await eventually(async () => (await service.db.query('SELECT 1 FROM rm_g1.inbox WHERE event_id = $1', [marker.eventId])).rowCount === 1, {
    timeoutMs: CATCH_UP_MS,
    intervalMs: 250,
    what: 'the marker after the replay',
  });

  expect(await snapshot()).toEqual(before);
  const { rows } = await service.db.query<{ count: number }>('SELECT count(*)::int AS count FROM rm_g1.inbox WHERE stream_id = $1', [approvalId]);
  expect(rows).toEqual([{ count: 3 }]);
});
