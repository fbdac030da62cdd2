import { caseTimelineScenario, noticeIdOf } from '../testing/case-timeline-events';
import { reasonsOf, summarize } from './timeline-summary';

it('says what happened in each event of a case and its notice, with the reasons given and no names', () => {
  const { caseId, caseEnvelopes, noticeEnvelopes } = caseTimelineScenario();
  const lines = [...caseEnvelopes, ...noticeEnvelopes].map((e) => summarize(e.type, e.data));
  expect(lines).toEqual([
    'Violation reported on tiktok (SND-1)',
    'Investigator ia-rashid assigned',
    `Takedown notice ${noticeIdOf(caseId)} served on KHI-40172, due 2026-03-08T11:00:00.000Z`,
    `Removal confirmed for notice ${noticeIdOf(caseId)}, within the deadline`,
    'Finding: substantiated (SND-1): Filmed in uniform on duty.',
    'Sanction imposed: censure (minor): First breach, removed in time.',
    'Case closed: Sanction accepted.',
    'Notice "takedown-notice" queued for the officer by email',
    'Notice sent (attempt 1)',
  ]);
  expect(lines.join(' ')).not.toContain('Imran');
});

it('takes reasons, an appeal’s grounds or a single reason', () => {
  expect(reasonsOf('CaseClosed', { reasons: ['Done.'] })).toEqual(['Done.']);
  expect(reasonsOf('AppealFiled', { grounds: ['Not me.'], reasons: ['ignored'] })).toEqual(['Not me.']);
  expect(reasonsOf('ShowCauseNoticeIssued', { grounds: ['Posted in uniform.'] })).toEqual(['Posted in uniform.']);
  expect(reasonsOf('NotificationCancelled', { reason: 'content-removed' })).toEqual(['content-removed']);
  expect(reasonsOf('NoteAdded', { text: 'x' })).toBeUndefined();
  expect(summarize('SomethingNew', { a: 1 })).toBe('SomethingNew');
});

it('tells the steps of due process before a major penalty', () => {
  const showCauseId = 'show-cause-1';
  expect([
    summarize('ShowCauseNoticeIssued', {
      showCauseId,
      servedOn: 'KHI-40172',
      proposedSanction: 'dismissal',
      replyDueAt: '2026-04-03T12:00:00.000Z',
      grounds: ['Posted in uniform.'],
    }),
    summarize('ShowCauseReplyReceived', { showCauseId, receivedAt: '2026-03-22T09:00:00.000Z', reply: 'Off duty.' }),
    summarize('ShowCauseReplyLapsed', { showCauseId, replyDueAt: '2026-04-03T12:00:00.000Z' }),
    summarize('PersonalHearingHeld', { heldAt: '2026-04-06T10:00:00.000Z', officerPresent: false, record: 'Did not appear.' }),
  ]).toEqual([
    'Show-cause notice show-cause-1 served on KHI-40172: dismissal proposed, reply due 2026-04-03T12:00:00.000Z: Posted in uniform.',
    'Written reply to show-cause notice show-cause-1 received 2026-03-22T09:00:00.000Z: Off duty.',
    'No reply to show-cause notice show-cause-1 by 2026-04-03T12:00:00.000Z',
    'Personal hearing held 2026-04-06T10:00:00.000Z, the officer absent: Did not appear.',
  ]);
});
