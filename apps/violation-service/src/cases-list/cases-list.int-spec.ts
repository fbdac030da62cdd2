import { randomBytes } from 'node:crypto';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { http, karachiSouth, officer, people, reportCase, violationReport } from '../testing/case-fixtures';
import { CaseSummary } from './cases-list.handler';

/** `GET /cases` over the read model fed through Kafka, against real PostgreSQL and Kafka. */
describe('cases list', () => {
  let service: TestService;
  let who: ReturnType<typeof people>;
  let api: ReturnType<typeof http>;
  let southAuthority: string;
  let eastAuthority: string;
  let analyst: string;

  /** Each test's officer is its own, so `?officer=` isolates its cases from every other run's on the shared topic. */
  const anOfficer = () => ({ ...officer, serviceNumber: `KHI-${randomBytes(4).toString('hex')}` });
  const listed = async (query: string, token: string): Promise<CaseSummary[]> =>
    ((await api.get(`/cases?pageSize=500&${query}`, token).expect(200)).body as { items: CaseSummary[] }).items;
  const listedIds = async (query: string, token: string): Promise<string[]> => (await listed(query, token)).map((c) => c.caseId);

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    who = people(service);
    api = http(service);
    southAuthority = who.authority;
    eastAuthority = service.token({ subject: 'da-east', roles: ['DISCIPLINARY_AUTHORITY'], scope: { province: 'sindh', district: 'karachi-east' } });
    analyst = service.token({ subject: 'hq-1', roles: ['HQ_ANALYST'] });
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(() => service?.close());

  it('lists a reported case with its officer, jurisdiction, clauses and stage, and follows it as it moves on', async () => {
    const concerned = anOfficer();
    const caseId = await reportCase(service, { ...violationReport(), officer: concerned });
    const [summary] = await eventually(
      async () => {
        const items = await listed(`officer=${concerned.serviceNumber}`, southAuthority);
        return items.length === 1 ? items : undefined;
      },
      { what: 'the case in the cases list' },
    );
    expect(summary).toMatchObject({
      caseId,
      officer: concerned,
      jurisdiction: { province: karachiSouth.province, range: karachiSouth.range, district: karachiSouth.district, unitId: karachiSouth.unitId },
      platform: 'tiktok',
      clauses: ['SND-1'],
      status: 'open',
      stage: 'investigating',
      takedown: null,
      escalationLevel: 'SSP',
      findingOutcome: null,
      sanction: null,
      closedAt: null,
      version: 1,
    });

    await api.post(`/cases/${caseId}/investigator`, southAuthority, { investigatorId: 'ia-rashid' }).expect(200);
    const { noticeId } = (await api.post(`/cases/${caseId}/takedown-notices`, who.investigator, {}).expect(201)).body as { noticeId: string };
    await api.post(`/cases/${caseId}/takedown-notices/${noticeId}/removal`, who.investigator, {}).expect(200);
    await api
      .post(`/cases/${caseId}/findings`, who.investigator, { outcome: 'substantiated', clauses: ['SND-1'], reasons: ['In uniform'] })
      .expect(201);
    await api.post(`/cases/${caseId}/sanctions`, southAuthority, { sanction: 'censure', reasons: ['First breach'] }).expect(201);
    const moved = await eventually(
      async () => {
        const [item] = await listed(`officer=${concerned.serviceNumber}&stage=sanctioned`, southAuthority);
        return item;
      },
      { what: 'the sanction in the cases list' },
    );
    expect(moved).toMatchObject({
      investigatorId: 'ia-rashid',
      takedown: { noticeId, status: 'removed', overdue: false },
      findingOutcome: 'substantiated',
      sanction: 'censure',
      version: 6,
    });
    expect(moved.takedown!.removedAt).not.toBeNull();
    expect(await listedIds(`officer=${concerned.serviceNumber}&stage=investigating`, southAuthority)).toEqual([]);
    // An investigator's own cases (the console's "My cases"): by the subject assigned.
    expect(await listedIds(`officer=${concerned.serviceNumber}&investigator=ia-rashid`, southAuthority)).toEqual([caseId]);
    expect(await listedIds(`officer=${concerned.serviceNumber}&investigator=ia-someone-else`, southAuthority)).toEqual([]);
  });

  it('shows a case only to readers whose scope covers it, newest first, with status, clause and place filters', async () => {
    const concerned = anOfficer();
    const south = await reportCase(service, { ...violationReport(), officer: concerned });
    const east = await reportCase(service, {
      ...violationReport(),
      officer: concerned,
      jurisdiction: { ...karachiSouth, district: 'karachi-east', unitId: 'ps-gulshan' },
    });
    const mine = `officer=${concerned.serviceNumber}`;
    await eventually(async () => ((await listedIds(mine, who.investigator)).length === 2 ? true : undefined), { what: 'both cases in the list' });

    expect(await listedIds(mine, who.investigator)).toEqual([east, south]);
    expect(await listedIds(mine, analyst)).toEqual([east, south]);
    expect(await listedIds(mine, southAuthority)).toEqual([south]);
    expect(await listedIds(mine, eastAuthority)).toEqual([east]);
    expect(await listedIds(`${mine}&district=karachi-east`, southAuthority)).toEqual([]);
    expect(await listedIds(`${mine}&unitId=ps-gulshan`, who.investigator)).toEqual([east]);
    expect(await listedIds(`${mine}&clause=SND-1`, who.investigator)).toEqual([east, south]);
    expect(await listedIds(`${mine}&clause=SND-6`, who.investigator)).toEqual([]);
    expect(await listedIds(`${mine}&status=closed`, who.investigator)).toEqual([]);
    expect(await listedIds(mine, who.punjabInvestigator)).toEqual([]);

    const firstPage = (await api.get(`/cases?${mine}&pageSize=1`, who.investigator).expect(200)).body as { items: CaseSummary[]; total: number };
    expect(firstPage.total).toBe(2);
    expect(firstPage.items.map((c) => c.caseId)).toEqual([east]);
  });

  it('lists an officer the cases about themselves only, whatever they ask, without how internal affairs works them', async () => {
    const concerned = anOfficer();
    const own = await reportCase(service, { ...violationReport(), officer: concerned });
    const other = await reportCase(service, { ...violationReport(), officer: anOfficer() });
    await api.post(`/cases/${own}/investigator`, southAuthority, { investigatorId: 'ia-rashid' }).expect(200);
    const officerToken = service.token({ subject: 'officer-own', roles: ['OFFICER'], scope: karachiSouth, serviceNumber: concerned.serviceNumber });
    await eventually(async () => ((await listedIds(`officer=${concerned.serviceNumber}`, analyst)).length === 1 ? true : undefined), {
      what: 'the cases in the list',
    });
    await eventually(
      async () => ((await listed(`officer=${concerned.serviceNumber}`, analyst))[0]?.investigatorId === 'ia-rashid' ? true : undefined),
      {
        what: 'the investigator in the list',
      },
    );

    const mine = (await api.get('/cases?pageSize=500', officerToken).expect(200)).body as { items: CaseSummary[]; redacted?: string[] };
    expect(mine.items.map((c) => c.caseId)).toEqual([own]);
    // Who investigates is internal affairs' business, not the officer's.
    expect(mine.items[0]!.investigatorId).toBeNull();
    expect(mine.redacted).toContain('[].investigatorId');
    // Asking for someone else's cases still answers one's own.
    expect(await listedIds(`officer=${encodeURIComponent(other)}`, officerToken)).toEqual([own]);
    // An officer's token without a service number is nobody's case.
    await eventually(async () =>
      (await listedIds('', service.token({ subject: 'officer-anon', roles: ['OFFICER'], scope: karachiSouth }))).length === 0 ? true : undefined,
    );
  });

  it('refuses callers without a case-reading role (403) and malformed filters (400)', async () => {
    await api.get('/cases', who.mediaTeam).expect(403);
    const bad = await api.get('/cases?overdue=maybe&stage=lost&pageSize=0', who.investigator).expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['overdue', 'pageSize', 'stage']);
  });
});
