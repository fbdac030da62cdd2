import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLOCK, Clock } from '@conduct/event-sourcing';
import { EventStore } from '@conduct/event-store';
import { PersonalDataKeys } from '@conduct/personal-data';
import { PolicyCatalogue } from '@conduct/policy';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { CaseSummary } from '../cases-list/cases-list.handler';
import { TakedownDeadlineWatcher } from '../takedown-deadlines/takedown-deadline.watcher';
import { http, people } from '../testing/case-fixtures';
import { importLegacyCases, legacyCaseId } from './import-legacy-cases';

const DAY = 86_400_000;
const exampleFile = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'import-example.csv'), 'utf8');

/** Legacy case imports against real PostgreSQL, with the service's relay and consumers on real Kafka. */
describe('npm run import:cases', () => {
  let service: TestService;
  let store: EventStore;
  // Case ids follow from legacy case numbers: each run its own, as the topics are shared.
  const run = randomBytes(4).toString('hex');
  const file = exampleFile.replaceAll(/(KS|LHR|KE)\/(\d{4})\//g, `$1/$2/${run}-`);
  const sha256 = createHash('sha256').update(file).digest('hex');
  const options = (dryRun = false) => ({
    store,
    catalogue: PolicyCatalogue.builtIn(),
    personalData: service.app.get(PersonalDataKeys),
    importedBy: 'records-clerk',
    dryRun,
    now: new Date(),
  });
  const eventsOf = async (caseId: string) =>
    (
      await service.db.query<{ type: string; metadata: { imported?: object; actor: object; occurredAt: string } }>(
        'SELECT type, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version',
        [caseId],
      )
    ).rows;
  const countEvents = async () => Number((await service.db.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    store = service.app.get(EventStore);
  }, SERVICE_START_TIMEOUT_MS);
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => service?.close());

  it('checks a file in a dry run and writes nothing', async () => {
    const before = await countEvents();
    const report = await importLegacyCases(file, options(true));
    expect(report).toMatchObject({ dryRun: true, rows: 3, sourceSha256: sha256, rejected: [], alreadyImported: [] });
    expect(report.imported.map((row) => row.events)).toEqual([7, 10, 4]);
    expect(await countEvents()).toBe(before);
  });

  it('imports each row as a case with its historical dates, every event marked with the file and row, once', async () => {
    const report = await importLegacyCases(file, options());
    expect(report.rejected).toEqual([]);
    expect(report.imported.map(({ row, events }) => [row, events])).toEqual([
      [2, 7],
      [3, 10],
      [4, 4],
    ]);
    const punjab = report.imported[1]!;
    expect(punjab.caseId).toBe(legacyCaseId('punjab', `LHR/2025/${run}-044`));
    const events = await eventsOf(punjab.caseId);
    expect(events.map((event) => event.type)).toEqual([
      'ViolationReported',
      'InvestigatorAssigned',
      'TakedownNoticeIssued',
      'ContentRemovalConfirmed',
      'FindingRecorded',
      'ShowCauseNoticeIssued',
      'ShowCauseReplyLapsed',
      'PersonalHearingHeld',
      'SanctionImposed',
      'CaseClosed',
    ]);
    for (const event of events) {
      expect(event.metadata.imported).toEqual({ sourceSha256: sha256, row: 3, legacyCaseNumber: `LHR/2025/${run}-044` });
      expect(event.metadata.actor).toEqual({ id: 'records-clerk', role: 'ADMIN' });
    }
    expect(events[8]!.metadata.occurredAt).toBe('2025-03-28T05:00:00.000Z');
    // The case reads as it stood: closed with the sanction, its chain intact.
    const api = http(service);
    const who = people(service);
    const reader = service.token({ subject: 'da-punjab', roles: ['DISCIPLINARY_AUTHORITY'], scope: { province: 'punjab' } });
    expect((await api.get(`/cases/${punjab.caseId}`, reader).expect(200)).body).toMatchObject({
      status: 'closed',
      outcome: { stage: 'sanctioned', sanction: { sanction: 'reduction-in-rank', severity: 'major' } },
      file: { dueProcess: { reply: 'lapsed', hearing: { officerPresent: false } } },
    });
    expect((await api.get(`/cases/${punjab.caseId}/verification`, reader).expect(200)).body).toMatchObject({ intact: true });
    // The cases list, fed through Kafka, shows them, marked as imported.
    const listed = await eventually(
      async () => {
        const items = ((await api.get(`/cases?officer=KHI-40551`, who.investigator).expect(200)).body as { items: CaseSummary[] }).items;
        return items.find((item) => item.caseId === report.imported[2]!.caseId);
      },
      { what: 'the open imported case in the cases list' },
    );
    expect(listed).toMatchObject({ status: 'open', escalationLevel: 'DIG', takedown: { status: 'overdue' } });

    // The same file again: nothing new.
    const before = await countEvents();
    const again = await importLegacyCases(file, options());
    expect(again.imported).toEqual([]);
    expect(again.alreadyImported.map((row) => row.caseId)).toEqual(report.imported.map((row) => row.caseId));
    expect(await countEvents()).toBe(before);
  });

  it('rejects the rows whose history breaks a rule, with the reason, and imports the others', async () => {
    const broken = file
      .replace(`KS/2024/${run}-017`, `KS/2024/${run}-117`)
      .replace(`LHR/2025/${run}-044`, `LHR/2025/${run}-144`)
      .replace(`KE/2025/${run}-103`, `KE/2025/${run}-203`)
      // The Punjab case without its hearing: a major penalty without due process.
      .replace('2025-03-25T11:00:00+05:00,false,"The officer did not appear; the record of the inquiry was read"', ',,')
      // The Sindh case seen before any Sindh pack was in force.
      .replace('2024-05-02T10:00:00+05:00', '2023-05-02T10:00:00+05:00');
    const report = await importLegacyCases(broken, options());
    expect(report.rejected).toEqual([
      {
        row: 2,
        legacyCaseNumber: `KS/2024/${run}-117`,
        reason: expect.stringContaining('observedAt: no policy pack is in force for province sindh'),
      },
      { row: 3, legacyCaseNumber: `LHR/2025/${run}-144`, reason: expect.stringContaining('ImposeSanction refused: case.due-process-incomplete') },
    ]);
    expect(report.imported.map((row) => row.legacyCaseNumber)).toEqual([`KE/2025/${run}-203`]);
    expect(await eventsOf(legacyCaseId('punjab', `LHR/2025/${run}-144`))).toEqual([]);
  });

  it('watches a deadline still running at the import like any live case’s, and no deadline the import settled', async () => {
    // A legacy case whose takedown notice is still within its period on the day of the import.
    const servedAt = new Date(Date.now() - DAY).toISOString();
    const recent = file
      .split('\n')
      .filter((line, index) => index === 0 || line.startsWith('KE/'))
      .join('\n')
      .replaceAll(`KE/2025/${run}-103`, `KE/2025/${run}-303`)
      .replace('2025-09-23T12:00:00+05:00', servedAt);
    const [imported] = (await importLegacyCases(recent, options())).imported;
    const api = http(service);
    await eventually(
      async () =>
        (
          (await api.get(`/cases?officer=KHI-40551&pageSize=100`, people(service).investigator).expect(200)).body as { items: CaseSummary[] }
        ).items.find((item) => item.caseId === imported!.caseId && item.takedown?.status === 'pending'),
      { what: 'the imported case with its pending notice in the cases list' },
    );
    const clock = service.app.get<Clock>(CLOCK);
    jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.now() + 30 * DAY));
    await service.app.get(TakedownDeadlineWatcher).runOnce();
    const events = await eventsOf(imported!.caseId);
    expect(events.map((event) => event.type)).toEqual(['ViolationReported', 'TakedownNoticeIssued', 'TakedownDeadlineMissed', 'CaseEscalated']);
    // The watcher's own record, not the file's: notified and escalated like any case's.
    expect(events.slice(2).map((event) => event.metadata.imported)).toEqual([undefined, undefined]);
    // The deadline the import recorded as missed (the overdue case of the file) is not recorded again.
    const overdue = legacyCaseId('sindh', `KE/2025/${run}-103`);
    expect((await eventsOf(overdue)).filter((event) => event.type === 'TakedownDeadlineMissed')).toHaveLength(1);
  });
});
