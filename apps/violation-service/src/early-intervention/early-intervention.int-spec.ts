import { randomBytes } from 'node:crypto';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { http, officer, people, reportCase, violationReport } from '../testing/case-fixtures';
import { OFFICER_STREAM_TYPE } from '@conduct/cases-domain';
import { EARLY_INTERVENTION_ACTOR } from './early-intervention.consumer';

interface FlagRow {
  stream_type: string;
  stream_version: number;
  data: { serviceNumber: string; caseIds: string[]; threshold: { substantiatedFindings: number; withinDays: number } };
  metadata: { actor: { id: string } };
}

describe('early intervention on an officer with repeated substantiated findings (real PostgreSQL and Kafka)', () => {
  let service: TestService;
  let api: ReturnType<typeof http>;
  let who: ReturnType<typeof people>;

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    api = http(service);
    who = people(service);
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(() => service?.close());

  // Officers of this run only: the shared topic holds other runs' cases against the fixture officer.
  let serviceNumber = `KHI-${randomBytes(4).toString('hex')}`;

  const substantiatedCase = async (): Promise<string> => {
    const caseId = await reportCase(service, { ...violationReport(), officer: { ...officer, serviceNumber } });
    await api.post(`/cases/${caseId}/investigator`, who.authority, { investigatorId: 'ia-rashid' }).expect(200);
    await api
      .post(`/cases/${caseId}/findings`, who.investigator, { outcome: 'substantiated', clauses: ['SND-1'], reasons: ['The video shows the uniform'] })
      .expect(201);
    return caseId;
  };
  const standingFindings = async (): Promise<number> =>
    Number(
      (await service.db.query<{ n: string }>('SELECT count(*) AS n FROM officer_findings WHERE service_number = $1', [serviceNumber])).rows[0]!.n,
    );
  const flags = async (): Promise<FlagRow[]> =>
    (
      await service.db.query<FlagRow>(
        `SELECT stream_type, stream_version, data, metadata FROM events WHERE stream_id = $1 AND type = 'EarlyInterventionFlagRaised' ORDER BY stream_version`,
        [serviceNumber],
      )
    ).rows;

  it('raises one flag naming the three cases once the third substantiated finding falls within the window', async () => {
    const first = await substantiatedCase();
    const second = await substantiatedCase();
    // The history and any flag commit together, so two findings counted means two were judged.
    await eventually(async () => (await standingFindings()) === 2, { what: 'two standing findings' });
    expect(await flags()).toEqual([]);

    const third = await substantiatedCase();
    await eventually(async () => (await flags()).length > 0, { what: 'the flag' });
    const raised = await flags();
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      stream_type: OFFICER_STREAM_TYPE,
      stream_version: 1,
      data: { serviceNumber, caseIds: [first, second, third], threshold: { substantiatedFindings: 3, withinDays: 365 } },
      metadata: { actor: { id: EARLY_INTERVENTION_ACTOR.id } },
    });
  });

  it('does not count a finding set aside on appeal', async () => {
    serviceNumber = `KHI-${randomBytes(4).toString('hex')}`;
    const setAside = await substantiatedCase();
    const appeal = await api.post(`/cases/${setAside}/appeals`, who.authority, { grounds: ['The account was not his'] }).expect(201);
    const appealId = (appeal.body as { appealId: string }).appealId;
    await api
      .post(`/cases/${setAside}/appeals/${appealId}/decision`, who.appellateAuthority, { outcome: 'upheld', reasons: ['The account was not his'] })
      .expect(200);
    // Wait for the appeal to be applied first: B and C travel on other partitions than A.
    await eventually(
      async () =>
        ((
          await service.db.query(`SELECT 1 FROM inbox WHERE consumer = 'early-intervention' AND type = 'AppealDecided' AND stream_id = $1`, [
            setAside,
          ])
        ).rowCount ?? 0) > 0,
      { what: 'the appeal decision applied' },
    );
    expect(await standingFindings()).toBe(0);

    await substantiatedCase();
    await substantiatedCase();
    await eventually(async () => (await standingFindings()) === 2, { what: 'two standing findings' });
    expect(await flags()).toEqual([]);
  });
});
