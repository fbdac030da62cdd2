import { ConfirmContentRemoval, IssueTakedownNotice, RecordMissedTakedownDeadline } from './case.commands';
import { CaseEvent } from './case.events';
import {
  appealDecided,
  appealFiled,
  authority,
  caseId,
  cleared,
  closedCase,
  deadlineMissed,
  decided,
  dueAt,
  escalated,
  found,
  investigator,
  noticeIssued,
  pack,
  punjabInvestigator,
  removalConfirmed,
  reported,
  servedAt,
  sindh,
  spec,
  underInvestigation,
} from './testing/case-fixtures';

const issue = (overrides: Partial<IssueTakedownNotice['data']> = {}): IssueTakedownNotice => ({
  type: 'IssueTakedownNotice',
  data: { actor: investigator, noticeId: 'notice-1', servedAt, pack: sindh, now: servedAt, ...overrides },
});
const confirm = (overrides: Partial<ConfirmContentRemoval['data']> = {}): ConfirmContentRemoval => ({
  type: 'ConfirmContentRemoval',
  data: { actor: investigator, noticeId: 'notice-1', verifiedAt: '2026-03-06T09:00:00.000Z', now: '2026-03-06T09:00:00.000Z', ...overrides },
});
const missed = (overrides: Partial<RecordMissedTakedownDeadline['data']> = {}): RecordMissedTakedownDeadline => ({
  type: 'RecordMissedTakedownDeadline',
  data: { noticeId: 'notice-1', pack: sindh, now: dueAt, ...overrides },
});

describe('case: takedown notice (SND-6)', () => {
  it('is served with a due date of the pack’s takedown period (7 days in Sindh)', () => {
    spec([reported]).when(issue()).then([noticeIssued()]);
  });

  it('takes the period from the pack, not from a constant', () => {
    const [event] = decided([reported], issue({ pack: { ...sindh, takedownPeriodDays: 3 } }));
    expect(event).toMatchObject({ type: 'TakedownNoticeIssued', data: { servedAt, dueAt: '2026-03-07T09:00:00.000Z' } });
  });

  it('may be served again once the earlier content was removed (a re-upload)', () => {
    const later = '2026-03-08T09:00:00.000Z';
    spec([reported, noticeIssued(), removalConfirmed()])
      .when(issue({ noticeId: 'notice-2', servedAt: later, now: later }))
      .then([noticeIssued('notice-2', later, '2026-03-15T09:00:00.000Z')]);
  });

  it('refuses a second notice while one is pending or overdue', () => {
    spec([reported, noticeIssued()])
      .when(issue({ noticeId: 'notice-2' }))
      .thenThrows('case.takedown-pending');
    spec([reported, noticeIssued(), deadlineMissed()])
      .when(issue({ noticeId: 'notice-2' }))
      .thenThrows('case.takedown-pending');
  });

  it('refuses a notice once a finding or an appeal clears the content', () => {
    spec([...underInvestigation, cleared()])
      .when(issue())
      .thenThrows('case.content-cleared');
    spec([...underInvestigation, cleared('covered-by-approval')])
      .when(issue())
      .thenThrows('case.content-cleared');
    spec([...found, appealFiled('finding'), appealDecided('upheld')])
      .when(issue())
      .thenThrows('case.content-cleared');
  });

  it('is still served on a substantiated finding', () => {
    expect(decided(found, issue())).toHaveLength(1);
  });

  it('refuses a notice served in the future', () => {
    expect(
      spec([reported])
        .when(issue({ now: '2026-03-04T08:00:00.000Z' }))
        .thenThrows('case.time-in-future').field,
    ).toBe('servedAt');
  });

  it('refuses a pack other than the one the case recorded', () => {
    spec([reported])
      .when(issue({ pack: pack('sindh', 1) }))
      .thenThrows('case.policy-pack-mismatch');
  });

  it('is served by an investigator in scope only, on an open case', () => {
    spec([reported])
      .when(issue({ actor: authority }))
      .thenThrows('case.role-required');
    spec([reported])
      .when(issue({ actor: punjabInvestigator }))
      .thenThrows('case.not-found');
    spec([]).when(issue()).thenThrows('case.not-found');
    spec(closedCase).when(issue()).thenThrows('case.closed');
  });
});

describe('case: content removal', () => {
  it('is confirmed by the investigator who verified it, within the deadline', () => {
    spec([reported, noticeIssued()]).when(confirm()).then([removalConfirmed()]);
  });

  it('is confirmed late, after a missed deadline, and says so', () => {
    const late = '2026-03-12T09:00:00.000Z';
    spec([reported, noticeIssued(), deadlineMissed(), escalated('SSP', 'DIG')])
      .when(confirm({ verifiedAt: late, now: late }))
      .then([
        {
          type: 'ContentRemovalConfirmed',
          data: { caseId, noticeId: 'notice-1', verifiedBy: investigator.id, verifiedAt: late, withinDeadline: false, recordedAt: late },
        },
      ]);
  });

  it('counts removal verified exactly at the due date as within it', () => {
    expect(decided([reported, noticeIssued()], confirm({ verifiedAt: dueAt, now: dueAt }))).toMatchObject([{ data: { withinDeadline: true } }]);
  });

  it('refuses a notice that is not the case’s open one', () => {
    spec([reported]).when(confirm()).thenThrows('case.notice-not-found');
    spec([reported, noticeIssued()])
      .when(confirm({ noticeId: 'notice-9' }))
      .thenThrows('case.notice-not-found');
  });

  it('refuses confirming twice', () => {
    spec([reported, noticeIssued(), removalConfirmed()]).when(confirm()).thenThrows('case.already-removed');
  });

  it('refuses a verification in the future or before the notice was served', () => {
    spec([reported, noticeIssued()])
      .when(confirm({ now: '2026-03-05T09:00:00.000Z' }))
      .thenThrows('case.time-in-future');
    spec([reported, noticeIssued()])
      .when(confirm({ verifiedAt: '2026-03-04T08:00:00.000Z' }))
      .thenThrows('case.verified-before-served');
  });

  it('is confirmed by an investigator only', () => {
    spec([reported, noticeIssued()])
      .when(confirm({ actor: authority }))
      .thenThrows('case.role-required');
  });
});

describe('case: missed takedown deadline', () => {
  it('records the miss and escalates one level up the chain (SSP → DIG)', () => {
    spec([reported, noticeIssued()])
      .when(missed())
      .then([deadlineMissed(), escalated('SSP', 'DIG')]);
  });

  it('escalates further with each missed notice (DIG → AIG)', () => {
    const served2 = '2026-03-20T09:00:00.000Z';
    const due2 = '2026-03-27T09:00:00.000Z';
    const given: CaseEvent[] = [
      reported,
      noticeIssued(),
      deadlineMissed(),
      escalated('SSP', 'DIG'),
      removalConfirmed(),
      noticeIssued('notice-2', served2, due2),
    ];
    spec(given)
      .when(missed({ noticeId: 'notice-2', now: due2 }))
      .then([deadlineMissed('notice-2', due2), escalated('DIG', 'AIG', 'notice-2', due2)]);
  });

  it('only records the miss at the top of the chain (IGP)', () => {
    const atTop: CaseEvent[] = [reported, escalated('SSP', 'DIG'), escalated('DIG', 'AIG'), escalated('AIG', 'IGP'), noticeIssued()];
    spec(atTop).when(missed()).then([deadlineMissed()]);
  });

  it('refuses before the due date', () => {
    spec([reported, noticeIssued()])
      .when(missed({ now: '2026-03-11T08:59:59.999Z' }))
      .thenThrows('case.takedown-not-due');
  });

  it('never escalates the same notice twice', () => {
    spec([reported, noticeIssued(), deadlineMissed(), escalated('SSP', 'DIG')])
      .when(missed({ now: '2026-03-12T09:00:00.000Z' }))
      .thenThrows('case.deadline-already-missed');
  });

  it('refuses once the content is removed, and for a notice that is not open', () => {
    spec([reported, noticeIssued(), removalConfirmed()]).when(missed()).thenThrows('case.already-removed');
    spec([reported, noticeIssued()])
      .when(missed({ noticeId: 'notice-0' }))
      .thenThrows('case.notice-not-found');
    spec([reported]).when(missed()).thenThrows('case.notice-not-found');
  });

  it('refuses a pack other than the case’s, an unknown case and a closed one', () => {
    spec([reported, noticeIssued()])
      .when(missed({ pack: pack('sindh', 1) }))
      .thenThrows('case.policy-pack-mismatch');
    spec([]).when(missed()).thenThrows('case.not-found');
    spec(closedCase).when(missed()).thenThrows('case.closed');
  });
});
