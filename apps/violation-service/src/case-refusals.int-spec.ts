import { randomBytes } from 'node:crypto';
import { Producer } from 'kafkajs';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from './app.module';
import { eventCount, http, offDutyPunjabReport, people, reportCase, violationReport } from './testing/case-fixtures';
import { publishUnitEvents, registered } from './testing/hierarchy-events';

type Report = ReturnType<typeof violationReport>;
interface Problem {
  code: string;
  clause?: string;
  detail?: string;
  errors: { field: string }[];
}

describe('refused case commands record nothing (real PostgreSQL and Kafka)', () => {
  let service: TestService;
  let who: ReturnType<typeof people>;
  let api: ReturnType<typeof http>;

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    who = people(service);
    api = http(service);
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(() => service?.close());

  /** Runs a request that must be refused, checks the status and that no event was appended. */
  const refused = async (
    send: () => Promise<{ status: number; body: unknown; headers: Record<string, string> }>,
    status: number,
  ): Promise<Problem> => {
    const before = await eventCount(service);
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(await eventCount(service)).toBe(before);
    return response.body as Problem;
  };

  it('answers 400 naming the field to a body nested 2,000 levels deep (it once answered 500)', async () => {
    const deep = (levels: number): unknown => {
      let value: unknown = 'x';
      for (let level = 0; level < levels; level++) value = { a: value };
      return value;
    };
    const problem = await refused(() => api.post('/cases', who.investigator, { ...violationReport(), officer: deep(2000) }), 400);
    expect(problem).toMatchObject({ code: 'request.body-too-deep', errors: [{ field: 'officer' }] });
  });

  it('answers 403 to a role the route does not admit', async () => {
    await refused(() => api.post('/cases', who.mediaTeam, violationReport()), 403);
    const caseId = await reportCase(service);
    await refused(() => api.post(`/cases/${caseId}/sanctions`, who.investigator, { sanction: 'censure', reasons: ['First breach'] }), 403);
  });

  it('answers 403 when the domain’s finer rule refuses: only the assigned investigator records the finding', async () => {
    const caseId = await reportCase(service);
    await api.post(`/cases/${caseId}/investigator`, who.authority, { investigatorId: 'ia-sana' }).expect(200);
    const problem = await refused(
      () => api.post(`/cases/${caseId}/findings`, who.investigator, { outcome: 'not-substantiated', reasons: ['Not him'] }),
      403,
    );
    expect(problem.code).toBe('case.not-assigned-investigator');
  });

  it('answers 422 naming jurisdiction.province for a province no policy pack covers', async () => {
    const national = service.token({ subject: 'ia-hq', roles: ['IA_INVESTIGATOR'], scope: {} });
    // A unit the registry places in a province no pack covers (approval-service would publish it so).
    const unitId = `ps-atlantis-${randomBytes(4).toString('hex')}`;
    const producer: Producer = testKafka('case-refusals-test').producer();
    await producer.connect();
    try {
      await publishUnitEvents(service, producer, [registered(unitId, { province: 'atlantis' })]);
    } finally {
      await producer.disconnect();
    }
    const problem = await refused(() => api.post('/cases', national, { ...violationReport(), jurisdiction: { province: 'atlantis', unitId } }), 422);
    expect(problem).toMatchObject({ code: 'policy.none-in-force', errors: [{ field: 'jurisdiction.province' }] });
  });

  it('answers 422 naming the clause when an alleged clause does not apply (PB-1 to an off-duty post)', async () => {
    const problem = await refused(() => api.post('/cases', who.punjabInvestigator, offDutyPunjabReport()), 422);
    expect(problem).toMatchObject({ code: 'case.clause-not-applicable', clause: 'PB-1' });
    expect(problem.detail).toContain('PB-1');
  });

  it.each([
    ['an unknown field', (b: Report) => ({ ...b, sanctionedBy: 'me' }), 'sanctionedBy'],
    ['a wrong type', (b: Report) => ({ ...b, onDuty: 'yes' }), 'onDuty'],
    ['a bad clause list', (b: Report) => ({ ...b, clauses: 'SND-1' }), 'clauses'],
    ['a bad nested field', (b: Report) => ({ ...b, officer: { ...b.officer, serviceNumber: 7 } }), 'officer.serviceNumber'],
    ['a list where an object belongs', (b: Report) => ({ ...b, officer: [] }), 'officer'],
    ['a bad evidence hash', (b: Report) => ({ ...b, evidence: { ...b.evidence, sha256: 'ABC' } }), 'evidence.sha256'],
    ['an unknown content kind', (b: Report) => ({ ...b, conduct: { ...b.conduct, kinds: ['hologram'] } }), 'conduct.kinds'],
  ])('answers 400 naming the field for %s', async (_case, spoil, field) => {
    const problem = await refused(() => api.post('/cases', who.investigator, spoil(violationReport())), 400);
    expect(problem.errors.map((e) => e.field)).toContain(field);
  });

  it('answers 400 naming the field on a transition body too', async () => {
    const caseId = await reportCase(service);
    const wrongType = await refused(
      () => api.post(`/cases/${caseId}/findings`, who.investigator, { outcome: 'guilty', reasons: ['x'.repeat(5)] }),
      400,
    );
    expect(wrongType.errors.map((e) => e.field)).toContain('outcome');
    const missing = await refused(
      () => api.post(`/cases/${caseId}/findings`, who.investigator, { outcome: 'substantiated', reasons: ['Seen it'] }),
      400,
    );
    expect(missing.errors.map((e) => e.field)).toContain('clauses');
    const unknown = await refused(() => api.post(`/cases/${caseId}/notes`, who.investigator, { text: 'Hello', pinned: true }), 400);
    expect(unknown.errors.map((e) => e.field)).toContain('pinned');
  });

  it('answers 412 to a stale If-Match', async () => {
    const caseId = await reportCase(service);
    const noted = await api.post(`/cases/${caseId}/notes`, who.investigator, { text: 'First note' }, { 'If-Match': '"1"' }).expect(201);
    expect(noted.headers['etag']).toBe('"2"');
    const problem = await refused(() => api.post(`/cases/${caseId}/notes`, who.investigator, { text: 'Second note' }, { 'If-Match': '"1"' }), 412);
    expect(problem.code).toBe('stream.stale-version');
  });

  it('gives the same answer and records one event for a repeated Idempotency-Key; a different body under it is refused', async () => {
    const body = violationReport();
    const before = await eventCount(service);
    const first = await api.post('/cases', who.investigator, body, { 'Idempotency-Key': 'report-42' }).expect(201);
    const second = await api.post('/cases', who.investigator, body, { 'Idempotency-Key': 'report-42' }).expect(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['location']).toBe(first.headers['location']);
    expect(await eventCount(service)).toBe(before + 1);
    const reused = await refused(
      () => api.post('/cases', who.investigator, { ...body, description: 'Another video' }, { 'Idempotency-Key': 'report-42' }),
      422,
    );
    expect(reused.code).toBe('idempotency.key-reused');
  });

  // However the retries interleave (one may read the stream before another appends and lose the
  // race, which stream-commands.int-spec forces), every one answers as the first did.
  it('answers retries sent at the same moment under one Idempotency-Key alike, recording one case', async () => {
    const body = violationReport();
    const before = await eventCount(service);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => api.post('/cases', who.investigator, body, { 'Idempotency-Key': 'report-at-once' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    expect(await eventCount(service)).toBe(before + 1);
  });

  it('answers 404 for a decision on an appeal that is not the pending one', async () => {
    const caseId = await reportCase(service);
    await api.post(`/cases/${caseId}/investigator`, who.authority, { investigatorId: 'ia-rashid' }).expect(200);
    await api.post(`/cases/${caseId}/findings`, who.investigator, { outcome: 'substantiated', clauses: ['SND-1'], reasons: ['Seen it'] }).expect(201);
    await api.post(`/cases/${caseId}/appeals`, who.officerConcerned, { grounds: ['Not my account'] }).expect(201);
    const problem = await refused(
      () =>
        api.post(`/cases/${caseId}/appeals/00000000-0000-4000-8000-000000000000/decision`, who.appellateAuthority, {
          outcome: 'dismissed',
          reasons: ['Reviewed the record'],
        }),
      404,
    );
    expect(problem.code).toBe('case.appeal-not-found');
  });

  it('answers 409 to a decision when no appeal is pending', async () => {
    const caseId = await reportCase(service);
    const problem = await refused(
      () =>
        api.post(`/cases/${caseId}/appeals/00000000-0000-4000-8000-000000000000/decision`, who.appellateAuthority, {
          outcome: 'dismissed',
          reasons: ['Nothing to decide'],
        }),
      409,
    );
    expect(problem.code).toMatch(/^case\./);
  });
});
