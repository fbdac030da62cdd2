import { randomBytes } from 'node:crypto';
import { CLOCK, Clock } from '@conduct/event-sourcing';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { CaseSummary } from '../cases-list/cases-list.handler';
import { http, officer, people, reportCase, violationReport } from '../testing/case-fixtures';
import { showCauseReplyBacklog, ShowCauseReplyWatcher } from './show-cause-reply.watcher';

const DAY = 86_400_000;

interface Problem {
  code: string;
  detail: string;
  errors?: { field: string }[];
}

/** Due process before a major penalty (Police (Efficiency and Discipline) Rules), over HTTP. */
describe('due process before a major penalty (real PostgreSQL and Kafka)', () => {
  let service: TestService;
  let who: ReturnType<typeof people>;
  let api: ReturnType<typeof http>;

  /** A case of its own officer with a substantiated finding: a sanction could follow. */
  const foundCase = async (): Promise<{ caseId: string; serviceNumber: string }> => {
    const serviceNumber = `KHI-${randomBytes(4).toString('hex')}`;
    const caseId = await reportCase(service, { ...violationReport(), officer: { ...officer, serviceNumber } });
    await api.post(`/cases/${caseId}/investigator`, who.authority, { investigatorId: 'ia-rashid' }).expect(200);
    await api
      .post(`/cases/${caseId}/findings`, who.investigator, { outcome: 'substantiated', clauses: ['SND-1'], reasons: ['The video shows the uniform'] })
      .expect(201);
    return { caseId, serviceNumber };
  };
  const refused = async (path: string, body: object, status: number): Promise<Problem> => {
    const response = await api.post(path, who.authority, body).expect(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    return response.body as Problem;
  };
  const dismiss = { sanction: 'dismissal', reasons: ['Second breach after a warning'] };
  const showCause = { grounds: ['Posted a video in uniform without approval (SND-1)'], proposedSanction: 'dismissal' };
  const listed = async (serviceNumber: string): Promise<CaseSummary | undefined> =>
    ((await api.get(`/cases?officer=${serviceNumber}`, who.investigator).expect(200)).body as { items: CaseSummary[] }).items[0];

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    who = people(service);
    api = http(service);
  }, SERVICE_START_TIMEOUT_MS);
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => service?.close());

  it('refuses a major penalty without the steps, then takes it after the notice, the reply and the hearing', async () => {
    const { caseId } = await foundCase();
    const refusal = await refused(`/cases/${caseId}/sanctions`, dismiss, 409);
    expect(refusal).toMatchObject({ code: 'case.due-process-incomplete', errors: [{ field: 'sanction' }] });
    expect(refusal.detail).toContain('Police (Efficiency and Discipline) Rules');

    const served = await api.post(`/cases/${caseId}/show-cause-notice`, who.authority, showCause).expect(201);
    const { showCauseId } = served.body as { showCauseId: string };
    expect(showCauseId).toMatch(/^[0-9a-f-]{36}$/);
    const file = (await api.get(`/cases/${caseId}`, who.authority).expect(200)).body.file as { dueProcess: Record<string, string> };
    expect(file.dueProcess).toMatchObject({ showCauseId, proposedSanction: 'dismissal', reply: 'awaited' });
    // Sindh gives the officer 14 days to reply.
    expect(Date.parse(file.dueProcess['replyDueAt']!) - Date.parse(file.dueProcess['servedAt']!)).toBe(14 * DAY);

    expect((await refused(`/cases/${caseId}/hearing`, { heldAt: new Date().toISOString(), officerPresent: true, record: 'Heard' }, 409)).code).toBe(
      'case.show-cause-reply-awaited',
    );
    expect((await refused(`/cases/${caseId}/sanctions`, dismiss, 409)).code).toBe('case.due-process-incomplete');

    await api.post(`/cases/${caseId}/show-cause-notice/reply`, who.authority, { reply: 'The video was filmed off duty.' }).expect(201);
    await api
      .post(`/cases/${caseId}/hearing`, who.authority, { heldAt: new Date().toISOString(), officerPresent: true, record: 'Heard the officer.' })
      .expect(201);
    const sanctioned = await api.post(`/cases/${caseId}/sanctions`, who.authority, dismiss).expect(201);
    expect(sanctioned.body).toMatchObject({ stage: 'sanctioned' });

    const types = (await service.db.query<{ type: string }>('SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version', [caseId])).rows;
    expect(types.map((row) => row.type).slice(-4)).toEqual([
      'ShowCauseNoticeIssued',
      'ShowCauseReplyReceived',
      'PersonalHearingHeld',
      'SanctionImposed',
    ]);
  });

  it('keeps the direct path for a minor penalty', async () => {
    const { caseId } = await foundCase();
    await api.post(`/cases/${caseId}/sanctions`, who.authority, { sanction: 'censure', reasons: ['First breach'] }).expect(201);
  });

  it('records the lapse of the reply period once it passes, after which the hearing goes on without the officer', async () => {
    const { caseId, serviceNumber } = await foundCase();
    await api.post(`/cases/${caseId}/show-cause-notice`, who.authority, showCause).expect(201);
    const replyDueAt = await eventually(async () => (await listed(serviceNumber))?.showCause?.replyDueAt, { what: 'the notice in the cases list' });
    const watcher = service.app.get(ShowCauseReplyWatcher);
    const clock = service.app.get<Clock>(CLOCK);

    jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.parse(replyDueAt) - 60_000));
    await watcher.runOnce();
    jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.parse(replyDueAt) + 1_000));
    await watcher.runOnce();
    await watcher.runOnce(); // the list may still say "awaited": the domain refuses a second lapse
    const lapses = await service.db.query(`SELECT data FROM events WHERE stream_id = $1 AND type = 'ShowCauseReplyLapsed'`, [caseId]);
    expect(lapses.rows).toEqual([{ data: expect.objectContaining({ replyDueAt }) }]);
    expect(await eventually(async () => ((await listed(serviceNumber))?.showCause?.reply === 'lapsed' ? 'lapsed' : undefined))).toBe('lapsed');

    // A day later: a reply received after the deadline is refused; the hearing goes on without the officer.
    const dayAfter = new Date(Date.parse(replyDueAt) + DAY);
    jest.spyOn(clock, 'now').mockReturnValue(dayAfter);
    const late = await refused(`/cases/${caseId}/show-cause-notice/reply`, { reply: 'Sorry, late.' }, 409);
    expect(late).toMatchObject({ code: 'case.show-cause-reply-late', errors: [{ field: 'receivedAt' }] });
    const heldAt = new Date(dayAfter.getTime() - 3_600_000).toISOString();
    await api.post(`/cases/${caseId}/hearing`, who.authority, { heldAt, officerPresent: false, record: 'The officer did not appear.' }).expect(201);
    await api.post(`/cases/${caseId}/sanctions`, who.authority, dismiss).expect(201);
  });

  it('leaves the reply of a case closed meanwhile alone: the closure settled it', async () => {
    const { caseId, serviceNumber } = await foundCase();
    await api.post(`/cases/${caseId}/show-cause-notice`, who.authority, showCause).expect(201);
    // After the finding's appeal window (30 days) the authority closes the case without a penalty.
    const clock = service.app.get<Clock>(CLOCK);
    jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.now() + 31 * DAY));
    await api.post(`/cases/${caseId}/close`, who.authority, { reasons: ['No penalty: a warning suffices'] }).expect(200);
    await eventually(async () => ((await listed(serviceNumber))?.status === 'closed' ? true : undefined), { what: 'the closed case in the list' });
    await service.app.get(ShowCauseReplyWatcher).runOnce();
    const types = (await service.db.query<{ type: string }>('SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version', [caseId])).rows;
    expect(types.map((row) => row.type).slice(-2)).toEqual(['ShowCauseNoticeIssued', 'CaseClosed']);
    const [backlog] = (
      await service.db.query<{ items: string }>(`${showCauseReplyBacklog.sql} AND case_id = $2`, [new Date(Date.now() + 31 * DAY), caseId])
    ).rows;
    expect(Number(backlog!.items)).toBe(0);
  });

  it('answers bad input with the field at fault, and keeps the officer and investigators out', async () => {
    const { caseId } = await foundCase();
    const path = `/cases/${caseId}/show-cause-notice`;
    expect((await refused(path, { proposedSanction: 'dismissal' }, 400)).errors?.map((e) => e.field)).toContain('grounds');
    expect((await refused(path, { ...showCause, colour: 'red' }, 400)).errors?.map((e) => e.field)).toContain('colour');
    expect(await refused(path, { ...showCause, proposedSanction: 'flogging' }, 422)).toMatchObject({
      code: 'case.unknown-sanction',
      errors: [{ field: 'proposedSanction' }],
    });
    expect((await refused(`/cases/${caseId}/hearing`, { officerPresent: 'yes', record: 'x' }, 400)).errors?.map((e) => e.field)).toEqual(
      expect.arrayContaining(['heldAt', 'officerPresent']),
    );
    await api.post(path, who.investigator, showCause).expect(403);
    await api.post(path, who.officerConcerned, showCause).expect(403);
    const nothing = await refused(`/cases/${caseId}/show-cause-notice/reply`, { reply: 'x' }, 409);
    expect(nothing.code).toBe('case.no-show-cause-notice');
  });
});
