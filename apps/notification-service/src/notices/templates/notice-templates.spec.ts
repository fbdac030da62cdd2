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
