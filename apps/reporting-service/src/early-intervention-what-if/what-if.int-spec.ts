import { randomBytes } from 'node:crypto';
import { Producer } from 'kafkajs';
import request from 'supertest';
import { Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { caseTimelineScenario } from '../testing/case-timeline-events';
import { publish } from '../testing/published-events';

jest.setTimeout(240_000);

/*
 * The early-intervention what-if (dossier issue, point 6) on real projected history: two cases of
 * one officer, each with a substantiated finding of SND-1 (20 March 2026, published on the topics).
 */
describe('POST /early-intervention/what-if', () => {
  const serviceNumber = `KHI-WI-${randomBytes(3).toString('hex')}`;
  const first = caseTimelineScenario({ serviceNumber });
  const second = caseTimelineScenario({ serviceNumber });
  let service: TestService;
  let producer: Producer;

  beforeAll(async () => {
    service = await startTestService(AppModule, `${SERVICE_NAME}-what-if`);
    producer = testKafka('reporting-what-if').producer();
    await producer.connect();
    await publish(producer, Topics.cases, [...first.caseEnvelopes, ...second.caseEnvelopes]);
    await eventually(
      async () =>
        ofOfficer((await whatIf({ threshold: { substantiatedFindings: 2, withinDays: 365 }, asOf: '2026-12-01T00:00:00Z' })).body).length > 0,
      { timeoutMs: 180_000, what: 'both cases in the officers read model' },
    );
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
  });

  const analyst = () => service.token({ subject: 'hq-analyst', roles: ['HQ_ANALYST'], scope: { province: 'sindh' } });
  const whatIf = (body: object, token = analyst()) =>
    request(service.app.getHttpServer()).post('/early-intervention/what-if').set('Authorization', `Bearer ${token}`).send(body);
  const ofOfficer = (body: unknown) =>
    (body as { flagged: { serviceNumber: string }[] }).flagged.filter((officer) => officer.serviceNumber === serviceNumber);

  it('flags the officer whose standing findings meet the threshold in the window up to the date', async () => {
    const response = await whatIf({ threshold: { substantiatedFindings: 2, withinDays: 365 }, asOf: '2026-12-01T00:00:00Z' }).expect(200);
    expect(response.body).toMatchObject({
      asOf: '2026-12-01T00:00:00.000Z',
      threshold: { substantiatedFindings: 2, withinDays: 365 },
      windowStart: '2025-12-01T00:00:00.000Z',
      positions: expect.any(Object),
    });
    expect(ofOfficer(response.body)).toEqual([
      { serviceNumber, caseIds: expect.arrayContaining([first.caseId, second.caseId]), alreadyFlagged: false },
    ]);
    // Analysts see service numbers, never names.
    expect(JSON.stringify(response.body)).not.toContain('Imran Ali');
  });

  it('replays history as of the date, counts the clauses asked for, and keeps to the window', async () => {
    const before = await whatIf({ threshold: { substantiatedFindings: 1, withinDays: 365 }, asOf: '2026-03-19T00:00:00Z' }).expect(200);
    expect(ofOfficer(before.body)).toEqual([]);
    const otherClause = await whatIf({ threshold: { substantiatedFindings: 1, withinDays: 365, clauses: ['SND-3'] }, asOf: '2026-12-01T00:00:00Z' });
    expect(ofOfficer(otherClause.body)).toEqual([]);
    const longAfter = await whatIf({ threshold: { substantiatedFindings: 1, withinDays: 30 }, asOf: '2026-12-01T00:00:00Z' });
    expect(ofOfficer(longAfter.body)).toEqual([]);
  });

  it('answers within the caller scope only, and writes nothing', async () => {
    const punjab = service.token({ subject: 'hq-punjab', roles: ['HQ_ANALYST'], scope: { province: 'punjab' } });
    const outside = await whatIf({ threshold: { substantiatedFindings: 1, withinDays: 365 }, asOf: '2026-12-01T00:00:00Z' }, punjab).expect(200);
    expect(ofOfficer(outside.body)).toEqual([]);

    // What a flag raised would leave: an event, a row of early_intervention_flags, a step of the officer's history.
    const { rows } = await service.db.query<{ schema_name: string }>(`SELECT schema_name FROM read_model_generations WHERE status = 'active'`);
    const schema = rows[0]!.schema_name;
    const counts = async () =>
      (
        await service.db.query<{ events: string; flags: string; steps: string }>(
          `SELECT (SELECT count(*) FROM events) AS events,
                  (SELECT count(*) FROM ${schema}.early_intervention_flags WHERE service_number = $1) AS flags,
                  (SELECT count(*) FROM ${schema}.officer_history WHERE service_number = $1) AS steps`,
          [serviceNumber],
        )
      ).rows[0];
    const before = await counts();
    expect(before).toMatchObject({ events: '0', flags: '0' });
    await whatIf({ threshold: { substantiatedFindings: 1, withinDays: 3650 } }).expect(200);
    expect(await counts()).toEqual(before);
  });

  it('refuses a threshold out of range with the field at fault', async () => {
    const response = await whatIf({ threshold: { substantiatedFindings: 0, withinDays: 365 } }).expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(response.body)).toContain('threshold.substantiatedFindings');
  });
});
