import { NOTICE_KINDS } from '@conduct/notifications-contracts';
import { escapeHtml, NoticeFacts, pakistanTime, renderNotice } from './notice-templates';

const caseId = 'c0ffee00-0000-4000-8000-000000000001';
const clause = { id: 'SND-1', title: 'Pre-approval', text: 'No video in uniform without approval.' };

/** One example of each kind's facts. */
const examples: Record<(typeof NOTICE_KINDS)[number], NoticeFacts> = {
  'approval-granted': {
    kind: 'approval-granted',
    approvalId: 'ap-1',
    title: 'Eid greetings',
    validFrom: '2026-03-01T05:00:00.000Z',
    validUntil: '2026-03-08T05:00:00.000Z',
    conditions: ['No faces'],
  },
  'approval-rejected': { kind: 'approval-rejected', approvalId: 'ap-1', title: 'Eid greetings', reasons: ['Shows the station inside'] },
  'approval-revoked': { kind: 'approval-revoked', approvalId: 'ap-1', title: 'Eid greetings', reason: 'Investigation pending' },
  'takedown-notice': {
    kind: 'takedown-notice',
    caseId,
    noticeId: 'n-1',
    officerName: 'Imran Ali',
    contentUrl: 'https://t.example/v/1',
    dueAt: '2026-03-11T09:00:00.000Z',
    clauses: [clause],
  },
  'takedown-reminder': {
    kind: 'takedown-reminder',
    caseId,
    noticeId: 'n-1',
    contentUrl: 'https://t.example/v/1',
    dueAt: '2026-03-11T09:00:00.000Z',
    hoursLeft: 24,
    clauses: [clause],
  },
  'takedown-deadline-missed': {
    kind: 'takedown-deadline-missed',
    caseId,
    noticeId: 'n-1',
    officerName: 'Imran Ali',
    serviceNumber: 'KHI-40172',
    dueAt: '2026-03-11T09:00:00.000Z',
    escalatedTo: 'DIG',
  },
  'case-escalated': { kind: 'case-escalated', caseId, officerName: 'Imran Ali', serviceNumber: 'KHI-40172', from: 'SSP', to: 'DIG', noticeId: 'n-1' },
  'finding-recorded': {
    kind: 'finding-recorded',
    caseId,
    outcome: 'substantiated',
    clauses: ['SND-1'],
    reasons: ['Filmed in uniform'],
    appealableUntil: '2026-04-19T09:00:00.000Z',
  },
  'sanction-imposed': {
    kind: 'sanction-imposed',
    caseId,
    sanction: 'censure',
    severity: 'minor',
    reasons: ['First breach'],
    appealableUntil: '2026-04-24T09:00:00.000Z',
  },
  'appeal-decided': {
    kind: 'appeal-decided',
    caseId,
    appealId: 'appeal-1',
    outcome: 'sanction-reduced',
    reducedTo: 'censure',
    reasons: ['Removal was late, not refused'],
  },
  'early-intervention': {
    kind: 'early-intervention',
    serviceNumber: 'KHI-40172',
    officerName: 'Imran Ali',
    caseIds: [caseId],
    substantiatedFindings: 3,
    withinDays: 365,
  },
  'show-cause-notice': {
    kind: 'show-cause-notice',
    caseId,
    showCauseId: 'sc-1',
    rule: 'Police (Efficiency and Discipline) Rules, 1975',
    grounds: ['Filmed in uniform without approval', 'Did not remove the video when told'],
    proposedSanction: 'dismissal',
    severity: 'major',
    replyDueAt: '2026-03-19T09:00:00.000Z',
  },
  'show-cause-reminder': {
    kind: 'show-cause-reminder',
    caseId,
    showCauseId: 'sc-1',
    rule: 'Police (Efficiency and Discipline) Rules, 1975',
    grounds: ['Filmed in uniform without approval'],
    proposedSanction: 'dismissal',
    severity: 'major',
    replyDueAt: '2026-03-19T09:00:00.000Z',
    hoursLeft: 48,
  },
  'show-cause-reply-lapsed': {
    kind: 'show-cause-reply-lapsed',
    caseId,
    showCauseId: 'sc-1',
    officerName: 'Imran Ali',
    serviceNumber: 'KHI-40172',
    replyDueAt: '2026-03-19T09:00:00.000Z',
    rule: 'Police (Efficiency and Discipline) Rules, 1975',
  },
};

describe('notice templates', () => {
  it.each(NOTICE_KINDS.map((kind) => [kind]))('%s has a subject, text and HTML in English and Urdu, each different', (kind) => {
    const english = renderNotice(examples[kind], 'en', 'SSP South');
    const urdu = renderNotice(examples[kind], 'ur', 'SSP South');
    for (const notice of [english, urdu]) {
      expect(notice.subject.length).toBeGreaterThan(5);
      expect(notice.text).toContain('SSP South');
      expect(notice.html).toContain('<p>');
    }
    expect(urdu.subject).not.toEqual(english.subject);
    expect(urdu.text).toMatch(/[\u0600-\u06FF]/);
    expect(english.text).not.toMatch(/[\u0600-\u06FF]/);
    expect(urdu.html).toContain('dir="rtl"');
    expect(english.html).toContain('dir="ltr"');
  });

  it('states the takedown due date in Pakistan time and quotes each clause with its text', () => {
    const notice = renderNotice(examples['takedown-notice'], 'en', 'Imran Ali');
    expect(notice.subject).toBe('Takedown notice: remove the content by 2026-03-11 14:00 PKT');
    expect(notice.text).toContain('Remove https://t.example/v/1 by 2026-03-11 14:00 PKT');
    expect(notice.text).toContain('  - SND-1 — Pre-approval: No video in uniform without approval.');
    expect(notice.html).toContain('<li>SND-1 — Pre-approval: No video in uniform without approval.</li>');
    expect(renderNotice(examples['takedown-notice'], 'ur', 'Imran Ali').text).toContain('2026-03-11 14:00 PKT');
  });

  it('tells a reminder at the due date from one ahead of it', () => {
    expect(renderNotice(examples['takedown-reminder'], 'en', 'x').subject).toBe('Reminder: 24 h left to remove the content');
    expect(renderNotice({ ...examples['takedown-reminder'], hoursLeft: 0 } as NoticeFacts, 'en', 'x').subject).toBe(
      'Takedown deadline reached: remove the content now',
    );
  });

  it('serves the show-cause notice naming the rule, the penalty proposed, the reply deadline in Pakistan time, the case and each ground', () => {
    const notice = renderNotice(examples['show-cause-notice'], 'en', 'Constable Imran Ali');
    expect(notice.subject).toBe('Show-cause notice: reply in writing by 2026-03-19 14:00 PKT');
    expect(notice.text).toContain(
      `A show-cause notice (sc-1) has been served on you in case ${caseId} under the Police (Efficiency and Discipline) Rules, 1975.`,
    );
    expect(notice.text).toContain('The penalty proposed is dismissal (a major penalty).');
    expect(notice.text).toContain('Send your written reply by 2026-03-19 14:00 PKT');
    expect(notice.text).toContain('  - Filmed in uniform without approval\n  - Did not remove the video when told');
    expect(notice.html).toContain('<li>Did not remove the video when told</li>');
    const urdu = renderNotice(examples['show-cause-notice'], 'ur', 'Constable Imran Ali');
    expect(urdu.subject).toContain('2026-03-19 14:00 PKT');
    expect(urdu.text).toContain('Police (Efficiency and Discipline) Rules, 1975');
    expect(urdu.text).toContain('dismissal (بڑی سزا)');
    expect(urdu.text).toContain('  - Filmed in uniform without approval');
  });

  it('names only the sanction when the pack gives it no severity', () => {
    const facts: NoticeFacts = {
      kind: 'show-cause-notice',
      caseId,
      showCauseId: 'sc-1',
      rule: 'Police (Efficiency and Discipline) Rules, 1975',
      grounds: ['Filmed in uniform without approval'],
      proposedSanction: 'dismissal',
      replyDueAt: '2026-03-19T09:00:00.000Z',
    };
    expect(renderNotice(facts, 'en', 'x').text).toContain('The penalty proposed is dismissal.');
  });

  it('tells a show-cause reminder ahead of the deadline from one at it, each with the deadline in Pakistan time', () => {
    const ahead = renderNotice(examples['show-cause-reminder'], 'en', 'x');
    expect(ahead.subject).toBe('Reminder: 48 h left to reply to the show-cause notice');
    expect(ahead.text).toContain(`Show-cause notice sc-1 in case ${caseId} (Police (Efficiency and Discipline) Rules, 1975)`);
    expect(ahead.text).toContain('must be received by 2026-03-19 14:00 PKT');
    const atDeadline = renderNotice({ ...examples['show-cause-reminder'], hoursLeft: 0 } as NoticeFacts, 'en', 'x');
    expect(atDeadline.subject).toBe('Show-cause notice: the period for your reply ends now');
    expect(renderNotice(examples['show-cause-reminder'], 'ur', 'x').subject).toContain('48 گھنٹے');
  });

  it('tells the authority whose show-cause reply lapsed, when, and that the personal hearing may follow', () => {
    const notice = renderNotice(examples['show-cause-reply-lapsed'], 'en', 'SSP South');
    expect(notice.subject).toBe('Show-cause reply period lapsed: Imran Ali (KHI-40172)');
    expect(notice.text).toContain(`Imran Ali (KHI-40172) did not reply to show-cause notice sc-1 in case ${caseId} by 2026-03-19 14:00 PKT.`);
    expect(notice.text).toContain('Under the Police (Efficiency and Discipline) Rules, 1975 the proceedings go on without the reply');
    expect(notice.text).toContain('the personal hearing may now be held');
  });

  it('escapes what people wrote in the HTML, and only there', () => {
    const facts: NoticeFacts = {
      kind: 'approval-rejected',
      approvalId: 'ap-1',
      title: '<script>alert("x")</script>',
      reasons: ['A & B <b>bold</b>'],
    };
    const notice = renderNotice(facts, 'en', "O'Brien <admin>");
    expect(notice.html).not.toContain('<script>');
    expect(notice.html).not.toContain('<b>');
    expect(notice.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(notice.html).toContain('A &amp; B &lt;b&gt;bold&lt;/b&gt;');
    expect(notice.html).toContain('O&#39;Brien &lt;admin&gt;');
    expect(notice.text).toContain('A & B <b>bold</b>');
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('shows times as UTC+5 across a date boundary', () => {
    expect(pakistanTime('2026-03-10T20:30:00.000Z')).toBe('2026-03-11 01:30 PKT');
  });
});
