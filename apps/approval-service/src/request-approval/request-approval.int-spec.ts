import request from 'supertest';
import { Topics } from '@conduct/messaging';
import { eventually, testKafka } from '@conduct/testing';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { approvalRequest, registerAccount } from '../testing/approval-fixtures';

describe('POST /approvals (real PostgreSQL and Kafka)', () => {
  let service: TestService;
  const officer = () =>
    service.token({
      subject: 'officer-17',
      roles: ['OFFICER'],
      scope: { province: 'sindh', range: 'karachi', district: 'karachi-south', unit: 'ps-clifton' },
    });
  let body!: ReturnType<typeof approvalRequest>;
  const eventCount = async () => Number((await service.db.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    request(service.app.getHttpServer())
      .post('/approvals')
      .set('Authorization', `Bearer ${officer()}`)
      .set(headers)
      .send(payload as object);

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    body = approvalRequest(await registerAccount(service));
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(() => service?.close());

  it('appends ApprovalRequested, answers 201 with Location and ETag, and the relay publishes it', async () => {
    const kafka = testKafka();
    const consumer = kafka.consumer({ groupId: `approvals-it-${Date.now()}`, maxWaitTimeInMs: 50 });
    const seen: { key: string; value: { type: string; streamId: string; hash: string } }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.approvals, fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: ({ message }) => {
        seen.push({ key: message.key!.toString(), value: JSON.parse(message.value!.toString()) });
        return Promise.resolve();
      },
    });
    await joined;
    try {
      const response = await post(body).expect(201);
      expect(response.headers['location']).toBe(`/approvals/${response.body.approvalId}`);
      expect(response.headers['etag']).toBe('"1"');
      const published = await eventually(() => seen.find((m) => m.key === response.body.approvalId), { what: 'the event on Kafka' });
      const stored = await service.db.query<{ hash: string }>('SELECT hash FROM events WHERE stream_id = $1', [response.body.approvalId]);
      expect(published.value).toMatchObject({ type: 'ApprovalRequested', streamId: response.body.approvalId, hash: stored.rows[0]!.hash });
    } finally {
      await consumer.disconnect();
    }
  }, 30_000);

  it('gives the same answer and records one event for a repeated Idempotency-Key', async () => {
    const before = await eventCount();
    const first = await post(body, { 'Idempotency-Key': 'req-42' }).expect(201);
    const second = await post(body, { 'Idempotency-Key': 'req-42' }).expect(201);
    expect(second.body).toEqual(first.body);
    expect(await eventCount()).toBe(before + 1);
  });

  it('refuses the same Idempotency-Key with a different request (422) and records nothing', async () => {
    await post(body, { 'Idempotency-Key': 'req-43' }).expect(201);
    const before = await eventCount();
    const reused = await post({ ...body, title: 'Another video' }, { 'Idempotency-Key': 'req-43' }).expect(422);
    expect(reused.body.code).toBe('idempotency.key-reused');
    expect(await eventCount()).toBe(before);
  });

  type Valid = ReturnType<typeof approvalRequest>;
  it.each([
    ['an unknown field', (b: Valid) => ({ ...b, approvedBy: 'me' }), 'approvedBy'],
    ['a wrong type', (b: Valid) => ({ ...b, features: 'uniform' }), 'features'],
    ['a bad hash', (b: Valid) => ({ ...b, mediaSha256: 'ABC' }), 'mediaSha256'],
    ['a missing jurisdiction', (b: Valid) => ({ ...b, jurisdiction: undefined }), 'jurisdiction'],
    ['a bad nested field', (b: Valid) => ({ ...b, jurisdiction: { ...b.jurisdiction, unitId: 7 } }), 'jurisdiction.unitId'],
  ])('answers 400 problem+json naming the field for %s, and records nothing', async (_case, spoil, field) => {
    const before = await eventCount();
    const response = await post(spoil(body)).expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect((response.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    expect(await eventCount()).toBe(before);
  });

  it('refuses a request for a unit outside the caller’s scope (403)', async () => {
    const response = await post({ ...body, jurisdiction: { province: 'punjab', unitId: 'ps-model-town' } }).expect(403);
    expect(response.body.code).toBe('approval.unit-out-of-scope');
  });

  it('places the unit where the hierarchy registry has it: a unit-scoped token cannot claim its unit lies in another district', async () => {
    // The officer's token is scoped to ps-clifton alone; the claim names ps-clifton but places it in karachi-east.
    const before = await eventCount();
    const claimed = await post({
      ...body,
      jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-east', unitId: 'ps-clifton' },
    }).expect(422);
    expect(claimed.body).toMatchObject({ code: 'jurisdiction.disagrees-with-registry', errors: [{ field: 'jurisdiction.district' }] });
    const unknown = await post({ ...body, jurisdiction: { province: 'sindh', unitId: 'ps-nowhere' } }).expect(422);
    expect(unknown.body).toMatchObject({ code: 'jurisdiction.unknown-unit', errors: [{ field: 'jurisdiction.unitId' }] });
    expect(await eventCount()).toBe(before);
    // Naming only the unit is enough: the request is filed where the registry places it.
    const created = await post({ ...body, jurisdiction: { province: 'sindh', unitId: 'ps-clifton' } }).expect(201);
    const { rows } = await service.db.query<{ data: { jurisdiction: object } }>('SELECT data FROM events WHERE stream_id = $1', [
      created.body.approvalId,
    ]);
    expect(rows[0]!.data.jurisdiction).toEqual({ province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' });
  });

  it('answers 400 for a malformed Idempotency-Key', async () => {
    const response = await post(body, { 'Idempotency-Key': 'has spaces in it' }).expect(400);
    expect(response.body.errors[0].field).toBe('Idempotency-Key');
  });

  describe('GET /approvals/:id', () => {
    it('returns the state and history with the version as ETag', async () => {
      const created = await post(body).expect(201);
      const response = await request(service.app.getHttpServer())
        .get(`/approvals/${created.body.approvalId}`)
        .set('Authorization', `Bearer ${officer()}`)
        .expect(200);
      expect(response.headers['etag']).toBe('"1"');
      expect(response.body).toMatchObject({
        status: 'pending',
        version: 1,
        history: [{ version: 1, type: 'ApprovalRequested', actor: { id: 'officer-17' } }],
      });
    });

    it('answers 404 for an unknown id and for an approval outside the caller’s scope', async () => {
      const created = await post(body).expect(201);
      const punjab = service.token({ subject: 'ssp-lahore', roles: ['APPROVER'], scope: { province: 'punjab' } });
      await request(service.app.getHttpServer()).get(`/approvals/${created.body.approvalId}`).set('Authorization', `Bearer ${punjab}`).expect(404);
      await request(service.app.getHttpServer())
        .get('/approvals/00000000-0000-4000-8000-000000000000')
        .set('Authorization', `Bearer ${officer()}`)
        .expect(404);
      const refused = await request(service.app.getHttpServer()).get('/approvals/not-a-uuid').set('Authorization', `Bearer ${officer()}`).expect(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ code: 'request.invalid-id', errors: [{ field: 'approvalId', reason: 'approvalId must be a UUID' }] });
    });
  });
});
