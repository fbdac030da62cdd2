/**
 * One line a person reads on the timeline, from an event's type and data: what happened and, for
 * decisions, the reasons or grounds given. Never a person's name (names are for data, redacted by
 * role); identifiers and service numbers only.
 */
type Data = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const because = (reasons: string[]): string => (reasons.length ? `: ${reasons.join(' ')}` : '');

const summaries: Record<string, (data: Data) => string> = {
  ViolationReported: (d) =>
    `Violation reported on ${text(d['platform'])} (${list((d['policy'] as Data | undefined)?.['clauses']).join(', ') || 'no clause'})`,
  InvestigatorAssigned: (d) => `Investigator ${text(d['investigatorId'])} assigned${d['replaces'] ? `, replacing ${text(d['replaces'])}` : ''}`,
  ApprovalCoverageFound: (d) => `Covered by approval ${text(d['approvalId'])} (published ${text(d['publishedAt'])})`,
  TakedownNoticeIssued: (d) => `Takedown notice ${text(d['noticeId'])} served on ${text(d['servedOn'])}, due ${text(d['dueAt'])}`,
  ContentRemovalConfirmed: (d) => `Removal confirmed for notice ${text(d['noticeId'])}, ${d['withinDeadline'] ? 'within' : 'after'} the deadline`,
  TakedownDeadlineMissed: (d) => `Takedown deadline of notice ${text(d['noticeId'])} missed (due ${text(d['dueAt'])})`,
  CaseEscalated: (d) => `Escalated from ${text(d['from'])} to ${text(d['to'])}: ${text(d['reason'])}`,
  EvidenceAdded: (d) => `Evidence ${text((d['evidence'] as Data | undefined)?.['evidenceId'])} added`,
  NoteAdded: (d) => `Note: ${text(d['text'])}`,
  FindingRecorded: (d) => {
    const clauses = list(d['clauses']);
    return `Finding: ${text(d['outcome'])}${clauses.length ? ` (${clauses.join(', ')})` : ''}${because(list(d['reasons']))}`;
  },
  ShowCauseNoticeIssued: (d) =>
    `Show-cause notice ${text(d['showCauseId'])} served on ${text(d['servedOn'])}: ${text(d['proposedSanction'])} proposed, reply due ${text(d['replyDueAt'])}${because(list(d['grounds']))}`,
  ShowCauseReplyReceived: (d) =>
    `Written reply to show-cause notice ${text(d['showCauseId'])} received ${text(d['receivedAt'])}: ${text(d['reply'])}`,
  ShowCauseReplyLapsed: (d) => `No reply to show-cause notice ${text(d['showCauseId'])} by ${text(d['replyDueAt'])}`,
  PersonalHearingHeld: (d) =>
    `Personal hearing held ${text(d['heldAt'])}, the officer ${d['officerPresent'] ? 'present' : 'absent'}: ${text(d['record'])}`,
  SanctionImposed: (d) => `Sanction imposed: ${text(d['sanction'])} (${text(d['severity'])})${because(list(d['reasons']))}`,
  AppealFiled: (d) => `Appeal against the ${text(d['against'])} filed by ${text(d['appellant'])}${because(list(d['grounds']))}`,
  AppealDecided: (d) =>
    `Appeal ${d['outcome'] === 'sanction-reduced' ? `decided: sanction reduced to ${text(d['reducedTo'])}` : text(d['outcome'])}${because(list(d['reasons']))}`,
  CaseClosed: (d) => `Case closed${because(list(d['reasons']))}`,
  CaseReopened: (d) => `Case reopened${because(list(d['reasons']))}`,
  NotificationQueued: (d) =>
    `Notice "${text(d['kind'])}" queued for the ${text((d['recipient'] as Data | undefined)?.['role']).toLowerCase()} by ${text(d['channel'])}`,
  NotificationSent: (d) => `Notice sent (attempt ${String(d['attempt'])})`,
  NotificationFailed: (d) => `Notice attempt ${String(d['attempt'])} failed${d['final'] ? ', no more attempts' : ''}: ${text(d['reason'])}`,
  NotificationCancelled: (d) => `Notice cancelled: ${text(d['reason'])}`,
  WebhookDeliveryQueued: (d) => `Webhook delivery of ${text(d['eventType'])} to subscription ${text(d['subscriptionId'])} queued`,
  WebhookDelivered: (d) => `Webhook delivered to subscription ${text(d['subscriptionId'])} (HTTP ${String(d['statusCode'])})`,
  WebhookDeliveryFailed: (d) => `Webhook attempt ${String(d['attempt'])} failed${d['dead'] ? ', given up' : ''}: ${text(d['reason'])}`,
  WebhookRedeliveryRequested: (d) => `Webhook redelivery requested by ${text(d['requestedBy'])}`,
};

export function summarize(type: string, data: unknown): string {
  const summary = summaries[type];
  return summary && typeof data === 'object' && data !== null ? summary(data as Data) : type;
}

/** The reasons a step gave: a decision's `reasons`, an appeal's `grounds`, a single `reason`. */
export function reasonsOf(type: string, data: unknown): string[] | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as Data;
  const given =
    type === 'AppealFiled' || type === 'ShowCauseNoticeIssued'
      ? list(record['grounds'])
      : record['reasons'] !== undefined
        ? list(record['reasons'])
        : list([record['reason']]);
  return given.length ? given : undefined;
}
