import { NoticeLanguage } from '@conduct/notifications-contracts';

/** A clause as the notice quotes it, from the case's policy pack. */
export interface QuotedClause {
  id: string;
  title: string;
  text: string;
}

/** What each kind of notice says: the facts its template needs, kept with the queued notice. */
export type NoticeFacts =
  | { kind: 'approval-granted'; approvalId: string; title: string; validFrom: string; validUntil: string; conditions: string[] }
  | { kind: 'approval-rejected'; approvalId: string; title: string; reasons: string[] }
  | { kind: 'approval-revoked'; approvalId: string; title: string; reason: string }
  | { kind: 'takedown-notice'; caseId: string; noticeId: string; officerName: string; contentUrl: string; dueAt: string; clauses: QuotedClause[] }
  | { kind: 'takedown-reminder'; caseId: string; noticeId: string; contentUrl: string; dueAt: string; hoursLeft: number; clauses: QuotedClause[] }
  | {
      kind: 'takedown-deadline-missed';
      caseId: string;
      noticeId: string;
      officerName: string;
      serviceNumber: string;
      dueAt: string;
      escalatedTo: string;
    }
  | { kind: 'case-escalated'; caseId: string; officerName: string; serviceNumber: string; from: string; to: string; noticeId: string }
  | { kind: 'finding-recorded'; caseId: string; outcome: string; clauses: string[]; reasons: string[]; appealableUntil?: string }
  | { kind: 'sanction-imposed'; caseId: string; sanction: string; severity: string; reasons: string[]; appealableUntil: string }
  | { kind: 'appeal-decided'; caseId: string; appealId: string; outcome: string; reducedTo?: string; reasons: string[] }
  | { kind: 'early-intervention'; serviceNumber: string; officerName: string; caseIds: string[]; substantiatedFindings: number; withinDays: number }
  | ({ kind: 'show-cause-notice' } & ShowCauseFacts)
  | ({ kind: 'show-cause-reminder'; hoursLeft: number } & ShowCauseFacts)
  | {
      kind: 'show-cause-reply-lapsed';
      caseId: string;
      showCauseId: string;
      officerName: string;
      serviceNumber: string;
      replyDueAt: string;
      rule: string;
    };

/** What a show-cause notice and its reminders tell the officer (`rule`: the pack's `dueProcess.rule`). */
export interface ShowCauseFacts {
  caseId: string;
  showCauseId: string;
  rule: string;
  grounds: string[];
  proposedSanction: string;
  /** The pack's severity of the penalty proposed, when the pack lists it. */
  severity?: string;
  replyDueAt: string;
}

export interface RenderedNotice {
  subject: string;
  text: string;
  html: string;
}

/** A notice's parts before they become text or HTML: both are built from the same words. */
interface Draft {
  subject: string;
  paragraphs: string[];
  /** A list under the paragraphs (clauses, reasons, conditions). */
  items?: string[];
}

const PKT_OFFSET_MS = 5 * 3_600_000;

/** Pakistan Standard Time (UTC+5, no daylight saving), the time the officers read: `2026-03-11 14:00 PKT`. */
export function pakistanTime(iso: string): string {
  const shifted = new Date(Date.parse(iso) + PKT_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)} PKT`;
}

const clauseLine = (clause: QuotedClause): string => `${clause.id} — ${clause.title}: ${clause.text}`;

/** `dismissal (a major penalty)`, or the sanction alone when the pack gives no severity. */
const proposedPenalty = ({ proposedSanction, severity }: ShowCauseFacts): string =>
  severity ? `${proposedSanction} (a ${severity} penalty)` : proposedSanction;
const SEVERITY_URDU: Record<string, string> = { major: 'بڑی سزا', minor: 'چھوٹی سزا' };
const proposedPenaltyUrdu = ({ proposedSanction, severity }: ShowCauseFacts): string =>
  severity ? `${proposedSanction} (${SEVERITY_URDU[severity] ?? severity})` : proposedSanction;

const english = (facts: NoticeFacts): Draft => {
  switch (facts.kind) {
    case 'approval-granted':
      return {
        subject: `Approval granted: ${facts.title}`,
        paragraphs: [
          `Your request "${facts.title}" (${facts.approvalId}) was approved.`,
          `You may publish it from ${pakistanTime(facts.validFrom)} until ${pakistanTime(facts.validUntil)}.`,
          ...(facts.conditions.length ? ['Conditions:'] : []),
        ],
        items: facts.conditions,
      };
    case 'approval-rejected':
      return {
        subject: `Approval rejected: ${facts.title}`,
        paragraphs: [`Your request "${facts.title}" (${facts.approvalId}) was rejected. Do not publish it.`, 'Reasons:'],
        items: facts.reasons,
      };
    case 'approval-revoked':
      return {
        subject: `Approval revoked: ${facts.title}`,
        paragraphs: [`The approval of "${facts.title}" (${facts.approvalId}) was revoked: ${facts.reason}`, 'It no longer covers publication.'],
      };
    case 'takedown-notice':
      return {
        subject: `Takedown notice: remove the content by ${pakistanTime(facts.dueAt)}`,
        paragraphs: [
          `A takedown notice (${facts.noticeId}) was served on ${facts.officerName} in case ${facts.caseId}.`,
          `Remove ${facts.contentUrl} by ${pakistanTime(facts.dueAt)}. A missed deadline is escalated up the chain of command.`,
          'The content breaches:',
        ],
        items: facts.clauses.map(clauseLine),
      };
    case 'takedown-reminder':
      return {
        subject:
          facts.hoursLeft === 0 ? `Takedown deadline reached: remove the content now` : `Reminder: ${facts.hoursLeft} h left to remove the content`,
        paragraphs: [
          `Takedown notice ${facts.noticeId} in case ${facts.caseId}: ${facts.contentUrl} must be removed by ${pakistanTime(facts.dueAt)}.`,
          'The content breaches:',
        ],
        items: facts.clauses.map(clauseLine),
      };
    case 'takedown-deadline-missed':
      return {
        subject: `Takedown deadline missed: ${facts.officerName} (${facts.serviceNumber})`,
        paragraphs: [
          `The content of case ${facts.caseId} was still up at the due date ${pakistanTime(facts.dueAt)} (notice ${facts.noticeId}).`,
          `The case is escalated to ${facts.escalatedTo} for action.`,
        ],
      };
    case 'case-escalated':
      return {
        subject: `Case escalated to ${facts.to}: ${facts.officerName} (${facts.serviceNumber})`,
        paragraphs: [
          `Case ${facts.caseId} was escalated from ${facts.from} to ${facts.to} because takedown notice ${facts.noticeId} was not complied with.`,
        ],
      };
    case 'finding-recorded':
      return {
        subject: `Finding recorded in case ${facts.caseId}: ${facts.outcome}`,
        paragraphs: [
          `The finding in case ${facts.caseId} is: ${facts.outcome}${facts.clauses.length ? ` (${facts.clauses.join(', ')})` : ''}.`,
          ...(facts.appealableUntil ? [`You may appeal until ${pakistanTime(facts.appealableUntil)}.`] : []),
          'Reasons:',
        ],
        items: facts.reasons,
      };
    case 'sanction-imposed':
      return {
        subject: `Sanction imposed in case ${facts.caseId}: ${facts.sanction}`,
        paragraphs: [
          `A ${facts.severity} sanction was imposed in case ${facts.caseId}: ${facts.sanction}.`,
          `You may appeal until ${pakistanTime(facts.appealableUntil)}.`,
          'Reasons:',
        ],
        items: facts.reasons,
      };
    case 'appeal-decided':
      return {
        subject: `Appeal decided in case ${facts.caseId}: ${facts.outcome}`,
        paragraphs: [
          `Your appeal ${facts.appealId} in case ${facts.caseId} was decided: ${facts.outcome}${facts.reducedTo ? `, the sanction is reduced to ${facts.reducedTo}` : ''}.`,
          'Reasons:',
        ],
        items: facts.reasons,
      };
    case 'show-cause-notice':
      return {
        subject: `Show-cause notice: reply in writing by ${pakistanTime(facts.replyDueAt)}`,
        paragraphs: [
          `A show-cause notice (${facts.showCauseId}) has been served on you in case ${facts.caseId} under the ${facts.rule}.`,
          `The penalty proposed is ${proposedPenalty(facts)}.`,
          `Send your written reply by ${pakistanTime(facts.replyDueAt)}, stating why the penalty should not be imposed. If no reply is received by then, the proceedings go on without it. A personal hearing follows before any major penalty is imposed.`,
          'Grounds:',
        ],
        items: facts.grounds,
      };
    case 'show-cause-reminder':
      return {
        subject:
          facts.hoursLeft === 0
            ? 'Show-cause notice: the period for your reply ends now'
            : `Reminder: ${facts.hoursLeft} h left to reply to the show-cause notice`,
        paragraphs: [
          `Show-cause notice ${facts.showCauseId} in case ${facts.caseId} (${facts.rule}): your written reply must be received by ${pakistanTime(facts.replyDueAt)}.`,
          `The penalty proposed is ${proposedPenalty(facts)}. After that time the proceedings go on without your reply.`,
          'Grounds:',
        ],
        items: facts.grounds,
      };
    case 'show-cause-reply-lapsed':
      return {
        subject: `Show-cause reply period lapsed: ${facts.officerName} (${facts.serviceNumber})`,
        paragraphs: [
          `${facts.officerName} (${facts.serviceNumber}) did not reply to show-cause notice ${facts.showCauseId} in case ${facts.caseId} by ${pakistanTime(facts.replyDueAt)}.`,
          `Under the ${facts.rule} the proceedings go on without the reply: the personal hearing may now be held.`,
        ],
      };
    case 'early-intervention':
      return {
        subject: `Early intervention: ${facts.officerName} (${facts.serviceNumber})`,
        paragraphs: [
          `${facts.officerName} (${facts.serviceNumber}) has ${facts.substantiatedFindings} or more substantiated findings within ${facts.withinDays} days.`,
          'Please arrange counselling or training. Cases:',
        ],
        items: facts.caseIds,
      };
  }
};

const urdu = (facts: NoticeFacts): Draft => {
  switch (facts.kind) {
    case 'approval-granted':
      return {
        subject: `منظوری دے دی گئی: ${facts.title}`,
        paragraphs: [
          `آپ کی درخواست "${facts.title}" (${facts.approvalId}) منظور کر لی گئی ہے۔`,
          `آپ اسے ${pakistanTime(facts.validFrom)} سے ${pakistanTime(facts.validUntil)} تک شائع کر سکتے ہیں۔`,
          ...(facts.conditions.length ? ['شرائط:'] : []),
        ],
        items: facts.conditions,
      };
    case 'approval-rejected':
      return {
        subject: `منظوری مسترد: ${facts.title}`,
        paragraphs: [`آپ کی درخواست "${facts.title}" (${facts.approvalId}) مسترد کر دی گئی ہے۔ اسے شائع نہ کریں۔`, 'وجوہات:'],
        items: facts.reasons,
      };
    case 'approval-revoked':
      return {
        subject: `منظوری منسوخ: ${facts.title}`,
        paragraphs: [`"${facts.title}" (${facts.approvalId}) کی منظوری منسوخ کر دی گئی ہے: ${facts.reason}`, 'اب یہ اشاعت کی اجازت نہیں دیتی۔'],
      };
    case 'takedown-notice':
      return {
        subject: `ہٹانے کا نوٹس: مواد ${pakistanTime(facts.dueAt)} تک ہٹائیں`,
        paragraphs: [
          `کیس ${facts.caseId} میں ${facts.officerName} کو ہٹانے کا نوٹس (${facts.noticeId}) جاری کیا گیا ہے۔`,
          `${facts.contentUrl} کو ${pakistanTime(facts.dueAt)} تک ہٹا دیں۔ مقررہ وقت گزرنے پر معاملہ اعلیٰ افسران کو بھیج دیا جائے گا۔`,
          'یہ مواد ان شقوں کی خلاف ورزی ہے:',
        ],
        items: facts.clauses.map(clauseLine),
      };
    case 'takedown-reminder':
      return {
        subject:
          facts.hoursLeft === 0 ? 'ہٹانے کی آخری تاریخ آ گئی: مواد فوراً ہٹائیں' : `یاد دہانی: مواد ہٹانے کے لیے ${facts.hoursLeft} گھنٹے باقی ہیں`,
        paragraphs: [
          `کیس ${facts.caseId} کا ہٹانے کا نوٹس ${facts.noticeId}: ${facts.contentUrl} کو ${pakistanTime(facts.dueAt)} تک ہٹانا لازم ہے۔`,
          'یہ مواد ان شقوں کی خلاف ورزی ہے:',
        ],
        items: facts.clauses.map(clauseLine),
      };
    case 'takedown-deadline-missed':
      return {
        subject: `ہٹانے کی مدت ختم: ${facts.officerName} (${facts.serviceNumber})`,
        paragraphs: [
          `کیس ${facts.caseId} کا مواد آخری تاریخ ${pakistanTime(facts.dueAt)} پر بھی موجود تھا (نوٹس ${facts.noticeId})۔`,
          `کارروائی کے لیے کیس ${facts.escalatedTo} کو بھیجا جا رہا ہے۔`,
        ],
      };
    case 'case-escalated':
      return {
        subject: `کیس ${facts.to} کو منتقل: ${facts.officerName} (${facts.serviceNumber})`,
        paragraphs: [
          `ہٹانے کے نوٹس ${facts.noticeId} پر عمل نہ ہونے کی وجہ سے کیس ${facts.caseId} کو ${facts.from} سے ${facts.to} کو منتقل کیا گیا ہے۔`,
        ],
      };
    case 'finding-recorded':
      return {
        subject: `کیس ${facts.caseId} میں فیصلہ درج: ${facts.outcome}`,
        paragraphs: [
          `کیس ${facts.caseId} کا فیصلہ: ${facts.outcome}${facts.clauses.length ? ` (${facts.clauses.join('، ')})` : ''}۔`,
          ...(facts.appealableUntil ? [`آپ ${pakistanTime(facts.appealableUntil)} تک اپیل کر سکتے ہیں۔`] : []),
          'وجوہات:',
        ],
        items: facts.reasons,
      };
    case 'sanction-imposed':
      return {
        subject: `کیس ${facts.caseId} میں سزا: ${facts.sanction}`,
        paragraphs: [
          `کیس ${facts.caseId} میں سزا دی گئی ہے (${facts.severity}): ${facts.sanction}۔`,
          `آپ ${pakistanTime(facts.appealableUntil)} تک اپیل کر سکتے ہیں۔`,
          'وجوہات:',
        ],
        items: facts.reasons,
      };
    case 'appeal-decided':
      return {
        subject: `کیس ${facts.caseId} میں اپیل کا فیصلہ: ${facts.outcome}`,
        paragraphs: [
          `کیس ${facts.caseId} میں آپ کی اپیل ${facts.appealId} کا فیصلہ: ${facts.outcome}${facts.reducedTo ? `، سزا کم کر کے ${facts.reducedTo} کر دی گئی` : ''}۔`,
          'وجوہات:',
        ],
        items: facts.reasons,
      };
    case 'show-cause-notice':
      return {
        subject: `اظہارِ وجوہ کا نوٹس: ${pakistanTime(facts.replyDueAt)} تک تحریری جواب دیں`,
        paragraphs: [
          `کیس ${facts.caseId} میں ${facts.rule} کے تحت آپ کو اظہارِ وجوہ کا نوٹس (${facts.showCauseId}) جاری کیا گیا ہے۔`,
          `مجوزہ سزا: ${proposedPenaltyUrdu(facts)}۔`,
          `اپنا تحریری جواب ${pakistanTime(facts.replyDueAt)} تک جمع کرائیں اور بتائیں کہ یہ سزا کیوں نہ دی جائے۔ اس وقت تک جواب نہ ملنے پر کارروائی جواب کے بغیر جاری رہے گی۔ کوئی بڑی سزا دینے سے پہلے ذاتی سماعت ہوگی۔`,
          'الزامات:',
        ],
        items: facts.grounds,
      };
    case 'show-cause-reminder':
      return {
        subject:
          facts.hoursLeft === 0
            ? 'اظہارِ وجوہ کا نوٹس: جواب کی مدت ابھی ختم ہو رہی ہے'
            : `یاد دہانی: اظہارِ وجوہ کے نوٹس کا جواب دینے کے لیے ${facts.hoursLeft} گھنٹے باقی ہیں`,
        paragraphs: [
          `کیس ${facts.caseId} کا اظہارِ وجوہ کا نوٹس ${facts.showCauseId} (${facts.rule}): آپ کا تحریری جواب ${pakistanTime(facts.replyDueAt)} تک پہنچنا لازم ہے۔`,
          `مجوزہ سزا: ${proposedPenaltyUrdu(facts)}۔ اس کے بعد کارروائی آپ کے جواب کے بغیر جاری رہے گی۔`,
          'الزامات:',
        ],
        items: facts.grounds,
      };
    case 'show-cause-reply-lapsed':
      return {
        subject: `اظہارِ وجوہ کے جواب کی مدت ختم: ${facts.officerName} (${facts.serviceNumber})`,
        paragraphs: [
          `${facts.officerName} (${facts.serviceNumber}) نے کیس ${facts.caseId} میں اظہارِ وجوہ کے نوٹس ${facts.showCauseId} کا جواب ${pakistanTime(facts.replyDueAt)} تک نہیں دیا۔`,
          `${facts.rule} کے تحت کارروائی جواب کے بغیر جاری رہے گی: اب ذاتی سماعت کی جا سکتی ہے۔`,
        ],
      };
    case 'early-intervention':
      return {
        subject: `ابتدائی مداخلت: ${facts.officerName} (${facts.serviceNumber})`,
        paragraphs: [
          `${facts.officerName} (${facts.serviceNumber}) کے خلاف ${facts.withinDays} دن میں ${facts.substantiatedFindings} یا زیادہ الزامات ثابت ہوئے ہیں۔`,
          'براہ کرم کونسلنگ یا تربیت کا انتظام کریں۔ کیس:',
        ],
        items: facts.caseIds,
      };
  }
};

const GREETING: Record<NoticeLanguage, (name: string) => string> = { en: (name) => `Dear ${name},`, ur: (name) => `محترم ${name}،` };
const SIGNATURE: Record<NoticeLanguage, string> = {
  en: 'Conduct — police social-media policy. This is an automated notice; do not reply.',
  ur: 'کنڈکٹ — پولیس سوشل میڈیا پالیسی۔ یہ خودکار نوٹس ہے، جواب نہ دیں۔',
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Every value in a notice comes from people (titles, reasons, names): never trusted as markup. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

/** A notice in the recipient's language: the subject, a plain-text body and the same words as HTML. */
export function renderNotice(facts: NoticeFacts, language: NoticeLanguage, recipientName: string): RenderedNotice {
  const draft = language === 'ur' ? urdu(facts) : english(facts);
  const greeting = GREETING[language](recipientName);
  const items = draft.items ?? [];
  const text = [greeting, '', ...draft.paragraphs, ...items.map((item) => `  - ${item}`), '', '--', SIGNATURE[language], ''].join('\n');
  const direction = language === 'ur' ? 'rtl' : 'ltr';
  const html = [
    `<!doctype html><html lang="${language}" dir="${direction}"><head><meta charset="utf-8"><title>${escapeHtml(draft.subject)}</title></head><body>`,
    `<p>${escapeHtml(greeting)}</p>`,
    ...draft.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(items.length ? [`<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`] : []),
    `<hr><p><small>${escapeHtml(SIGNATURE[language])}</small></p>`,
    '</body></html>',
  ].join('\n');
  return { subject: draft.subject, text, html };
}
