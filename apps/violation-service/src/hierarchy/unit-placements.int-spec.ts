import { randomBytes } from 'node:crypto';
import { Producer } from 'kafkajs';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { eventCount, http, violationReport } from '../testing/case-fixtures';
import { publishUnitEvents, registered } from '../testing/hierarchy-events';

/*
 * violation-service places a reported case where the hierarchy registry has its unit: its copy of
 * the registry starts from UNITS_SEED_FILE and follows approval-service's events on the real topic.
 */
describe('cases placed by the hierarchy registry (real PostgreSQL and Kafka)', () => {
  let service: TestService;
  let producer: Producer;
  let api: ReturnType<typeof http>;
  const run = randomBytes(4).toString('hex');
  const south = { province: 'sindh', range: 'karachi', district: 'karachi-south' };
  const token = (scope: Record<string, string>) => service.token({ subject: 'ia-sindh', roles: ['IA_INVESTIGATOR'], scope });
  const jurisdictionOf = async (caseId: string) =>
    (
      await service.db.query<{ metadata: { jurisdiction: object } }>('SELECT metadata FROM events WHERE stream_id = $1 AND stream_version = 1', [
        caseId,
      ])
    ).rows[0]!.metadata.jurisdiction;

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    api = http(service);
    producer = testKafka('unit-placements-test').producer();
    await producer.connect();
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
  });

  it('refuses a unit the registry does not know, and a claim that places a known unit elsewhere, naming the field', async () => {
    const before = await eventCount(service);
    const unknown = await api
      .post('/cases', token({ province: 'sindh' }), { ...violationReport(), jurisdiction: { province: 'sindh', unitId: `ps-nowhere-${run}` } })
      .expect(422);
    expect(unknown.body).toMatchObject({ code: 'jurisdiction.unknown-unit', errors: [{ field: 'jurisdiction.unitId' }] });
    // ps-clifton is in Karachi South (the seed file): an investigator of Karachi East cannot file it as theirs.
    const east = token({ ...south, district: 'karachi-east' });
    const elsewhere = await api
      .post('/cases', east, { ...violationReport(), jurisdiction: { ...south, district: 'karachi-east', unitId: 'ps-clifton' } })
      .expect(422);
    expect(elsewhere.body).toMatchObject({ code: 'jurisdiction.disagrees-with-registry', errors: [{ field: 'jurisdiction.district' }] });
    // Naming only the unit, the case is placed in Karachi South: outside that investigator's scope.
    await api.post('/cases', east, { ...violationReport(), jurisdiction: { province: 'sindh', unitId: 'ps-clifton' } }).expect(403);
    expect(await eventCount(service)).toBe(before);
  });

  it('learns a new unit and a move from approval-service’s events, and places new cases where the unit lies now', async () => {
    const unitId = `ps-keamari-${run}`;
    await publishUnitEvents(service, producer, [registered(unitId, south)]);
    const first = await api
      .post('/cases', token({ province: 'sindh' }), { ...violationReport(), jurisdiction: { province: 'sindh', unitId } })
      .expect(201);
    expect(await jurisdictionOf(first.body.caseId as string)).toEqual({ ...south, unitId });

    const moved = {
      unitId,
      from: south,
      to: { ...south, district: 'karachi-keamari' },
      reason: 'District split',
      movedBy: 'admin-hq',
      movedAt: new Date().toISOString(),
    };
    await publishUnitEvents(service, producer, [{ type: 'UnitMoved', data: moved }], 2);
    const second = await api
      .post('/cases', token({ province: 'sindh' }), { ...violationReport(), jurisdiction: { province: 'sindh', unitId } })
      .expect(201);
    expect(await jurisdictionOf(second.body.caseId as string)).toEqual({ ...south, district: 'karachi-keamari', unitId });
    // The case recorded before the move keeps the jurisdiction it was recorded with.
    expect(await jurisdictionOf(first.body.caseId as string)).toEqual({ ...south, unitId });
  });

  it('starts its copy from the seed file and a restart adds nothing twice', async () => {
    const seeded = async () =>
      Number(
        (
          await service.db.query<{ n: string }>('SELECT count(*) AS n FROM org_units WHERE unit_id = ANY($1)', [
            ['ps-clifton', 'ps-model-town', 'ps-gulbahar'],
          ])
        ).rows[0]!.n,
      );
    expect(await seeded()).toBe(3);
    await service.restart();
    expect(await seeded()).toBe(3);
  });
});
