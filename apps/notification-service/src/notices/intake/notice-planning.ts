import { EntityManager } from 'typeorm';
import { EventEnvelope, isImported, sharedCounter } from '@conduct/messaging';
import { PolicyPackVersion } from '@conduct/policy';
import { NoticeFacts, QuotedClause } from '../templates/notice-templates';
import { NoticeIntake } from './notice-intake';
import { PlannedNotice, queueNotice } from './notice-queue';
import { Audience, reminderSchedule } from './notice-rules';

/*
 * What the two notice consumers (approval-notices, case-notices) share: what they remember of a
 * case, the clauses they quote, and queueing the notices an event plans.
 */

/** What the notices remember of a case (from ViolationReported and CaseEscalated). */
export interface NoticeCase {
  case_id: string;
  service_number: string;
  officer_name: string;
  officer_unit_id: string;
  case_unit_id: string;
  pack_id: string;
  pack_version: number;
  clauses: string[];
  content_url: string;
  escalation_level: string;
}

const unaddressable = sharedCounter(
  'conduct_notices_unaddressable_total',
  'Events skipped because the case or approval they are about was never seen',
  ['type'],
);

/**
 * What the notices remember of the case. Case events arrive in stream order (key = caseId), after
 * its ViolationReported; one about a case never seen (its history trimmed from the topic) cannot
 * be addressed to anyone, so it is logged and counted and the consumer moves on.
 */
export async function caseOf(intake: NoticeIntake, manager: EntityManager, caseId: string, type: string): Promise<NoticeCase | undefined> {
  const [row] = await manager.query<NoticeCase[]>(`SELECT * FROM notice_cases WHERE case_id = $1`, [caseId]);
  if (!row) skipUnaddressable(intake, type, `case ${caseId}`);
  return row;
}

export function skipUnaddressable(intake: NoticeIntake, type: string, subject: string): void {
  unaddressable.inc({ type });
  intake.warn(`${type} about ${subject}, which this service never saw reported: no notice`);
}

export function packOf(intake: NoticeIntake, notice: NoticeCase): PolicyPackVersion {
  const pack = intake.packs.find(notice.pack_id, notice.pack_version);
  if (!pack) throw new Error(`case ${notice.case_id} rests on ${notice.pack_id} v${notice.pack_version}, which the catalogue does not have`);
  return pack;
}

export const quotedClauses = (intake: NoticeIntake, notice: NoticeCase): QuotedClause[] => {
  const pack = packOf(intake, notice);
  return notice.clauses.map((id) => {
    const clause = pack.clauses.find((candidate) => candidate.id === id);
    return { id, title: clause?.title ?? '', text: clause?.text ?? '' };
  });
};

export const officerOf = (notice: NoticeCase): Audience => ({
  role: 'OFFICER',
  serviceNumber: notice.service_number,
  unitId: notice.officer_unit_id,
});

const staleEvents = sharedCounter('conduct_notices_stale_events_total', 'Events older than NOTICE_MAX_EVENT_AGE_HOURS when read: no notice', [
  'type',
]);

/** Queues each planned notice for the envelope, in its inbox transaction; none for history older than the limit. */
/**
 * The reminders of a deadline (a takedown notice's, a show-cause reply's): one to `audience` per
 * offset `reminderSchedule` keeps, each saying how many hours are left and keyed by `ids`, so that
 * what settles the deadline cancels them and nothing else.
 */
export function remindersBefore(
  deadline: { issuedAt: string; dueAt: string; offsetsHours: readonly number[]; now: Date },
  reminder: { kind: PlannedNotice['kind']; audience: Audience; ids: Pick<PlannedNotice, 'caseId' | 'noticeId' | 'showCauseId'> },
  factsFor: (hoursLeft: number) => NoticeFacts,
): PlannedNotice[] {
  return reminderSchedule(deadline.issuedAt, deadline.dueAt, deadline.offsetsHours, deadline.now).map(({ offsetHours, sendAfter }) => ({
    kind: reminder.kind,
    audience: reminder.audience,
    facts: factsFor(offsetHours),
    sendAfter,
    reminderOffsetHours: offsetHours,
    ...reminder.ids,
  }));
}

export async function queueAll(
  intake: NoticeIntake,
  manager: EntityManager,
  envelope: EventEnvelope<object>,
  notices: PlannedNotice[],
): Promise<void> {
  // A legacy case brought in is history: nobody is told of it again (docs/import.md).
  if (isImported(envelope)) return;
  if (notices.length > 0 && intake.isTooOldToNotify(envelope.recordedAt)) {
    staleEvents.inc({ type: envelope.type });
    return;
  }
  const now = intake.now();
  const context = {
    correlationId: envelope.correlationId,
    causationId: envelope.eventId,
    ...(envelope.jurisdiction ? { jurisdiction: envelope.jurisdiction } : {}),
  };
  for (const notice of notices) await queueNotice(intake, manager, envelope, context, notice, now);
}
