import { PolicyCatalogue } from '@conduct/policy';
import { replyLapsedNotices, showCauseNotices } from './due-process-notices';
import { NoticeCase } from './notice-planning';
import { notificationIdFor } from './notice-rules';

const pack = PolicyCatalogue.builtIn().find('sindh', 2)!;
const notice: NoticeCase = {
  case_id: 'case-1',
  service_number: 'KHI-40172',
  officer_name: 'Imran Ali',
  officer_unit_id: 'ps-clifton',
  case_unit_id: 'ssp-office-south',
  pack_id: 'sindh',
  pack_version: 2,
  clauses: ['SND-1'],
  content_url: 'https://t.example/v/1',
  escalation_level: 'SSP',
};
const servedAt = '2026-03-05T09:00:00.000Z';
const replyDueAt = '2026-03-19T09:00:00.000Z';
const issued = {
  caseId: 'case-1',
  showCauseId: 'sc-1',
  servedOn: 'KHI-40172',
  grounds: ['Filmed in uniform without approval'],
  proposedSanction: 'dismissal',
  servedAt,
  replyDueAt,
  issuedBy: 'da-south',
  issuedAt: servedAt,
};
const officer = { role: 'OFFICER', serviceNumber: 'KHI-40172', unitId: 'ps-clifton' };

describe('show-cause notice planning', () => {
  it('serves the notice on the officer now, with the rule of the case pack and the severity of the penalty proposed', () => {
    const [served] = showCauseNotices(issued, notice, pack, [48, 24, 0], new Date(servedAt));
    expect(served).toEqual({
      kind: 'show-cause-notice',
      audience: officer,
      facts: {
        kind: 'show-cause-notice',
        caseId: 'case-1',
        showCauseId: 'sc-1',
        rule: 'Police (Efficiency and Discipline) Rules, 1975',
        grounds: ['Filmed in uniform without approval'],
        proposedSanction: 'dismissal',
        severity: 'major',
        replyDueAt,
      },
      sendAfter: new Date(servedAt),
      caseId: 'case-1',
      showCauseId: 'sc-1',
    });
  });

  it('reminds the officer at each offset before the reply deadline, keyed by the show-cause notice and never by a takedown notice', () => {
    const reminders = showCauseNotices(issued, notice, pack, [24, 48, 0], new Date(servedAt)).slice(1);
    expect(reminders.map((reminder) => [reminder.kind, reminder.sendAfter.toISOString(), reminder.reminderOffsetHours])).toEqual([
      ['show-cause-reminder', '2026-03-17T09:00:00.000Z', 48],
      ['show-cause-reminder', '2026-03-18T09:00:00.000Z', 24],
      ['show-cause-reminder', replyDueAt, 0],
    ]);
    for (const reminder of reminders) {
      expect(reminder).toMatchObject({ audience: officer, caseId: 'case-1', showCauseId: 'sc-1' });
      expect(reminder).not.toHaveProperty('noticeId');
      expect(reminder.facts).toMatchObject({ kind: 'show-cause-reminder', hoursLeft: reminder.reminderOffsetHours, replyDueAt });
    }
    // Each reminder has its own notice id, distinct from the notice's.
    const ids = showCauseNotices(issued, notice, pack, [48, 24, 0], new Date(servedAt)).map((planned) =>
      notificationIdFor('e1', planned.kind, planned.audience, planned.reminderOffsetHours),
    );
    expect(new Set(ids).size).toBe(4);
  });

  it('drops the reminders already past when the notice is learnt of late, and has none once the deadline has passed', () => {
    const late = showCauseNotices(issued, notice, pack, [48, 24, 0], new Date('2026-03-17T12:00:00.000Z'));
    expect(late.map((planned) => [planned.kind, planned.reminderOffsetHours ?? null])).toEqual([
      ['show-cause-notice', null],
      ['show-cause-reminder', 24],
      ['show-cause-reminder', 0],
    ]);
    expect(showCauseNotices(issued, notice, pack, [48, 24, 0], new Date('2026-03-19T09:00:01.000Z')).map((planned) => planned.kind)).toEqual([
      'show-cause-notice',
    ]);
  });

  it('names the sanction without a severity when the pack does not list it', () => {
    const [served] = showCauseNotices({ ...issued, proposedSanction: 'transfer' }, notice, pack, [], new Date(servedAt));
    expect(served!.facts).not.toHaveProperty('severity');
  });
});

describe('lapsed show-cause reply planning', () => {
  const lapsed = { caseId: 'case-1', showCauseId: 'sc-1', replyDueAt, lapsedAt: '2026-03-19T09:01:00.000Z' };
  const now = new Date('2026-03-19T09:01:00.000Z');

  it("tells the SSP of the case's unit (not the officer's) that the reply lapsed, naming the officer and the rule", () => {
    expect(replyLapsedNotices(lapsed, notice, pack, now)).toEqual([
      {
        kind: 'show-cause-reply-lapsed',
        audience: { role: 'SSP', unitId: 'ssp-office-south' },
        facts: {
          kind: 'show-cause-reply-lapsed',
          caseId: 'case-1',
          showCauseId: 'sc-1',
          officerName: 'Imran Ali',
          serviceNumber: 'KHI-40172',
          replyDueAt,
          rule: 'Police (Efficiency and Discipline) Rules, 1975',
        },
        sendAfter: now,
        caseId: 'case-1',
        showCauseId: 'sc-1',
      },
    ]);
  });

  it('tells the DIG once the case has been escalated to the DIG or above', () => {
    for (const level of ['DIG', 'AIG']) {
      const [planned] = replyLapsedNotices(lapsed, { ...notice, escalation_level: level }, pack, now);
      expect(planned!.audience).toEqual({ role: 'DIG', unitId: 'ssp-office-south' });
    }
  });
});
