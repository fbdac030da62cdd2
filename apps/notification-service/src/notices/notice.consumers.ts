import { EntityManager } from 'typeorm';
import { approvalContracts } from '@conduct/approvals-contracts';
import { casesContracts } from '@conduct/cases-contracts';
import { EventEnvelope, handlerFor, InboxHandler, sharedCounter, Topics } from '@conduct/messaging';
import { PolicyCatalogue, PolicyPackVersion } from '@conduct/policy';
import { ConsumerDefinition } from '@conduct/service-runtime';
import { activeNoticeIntake } from './intake/notice-intake';
import { cancelNotices, PlannedNotice, queueNotice } from './intake/notice-queue';
import { Audience, directoryRoleForRank, levelAbove, reminderSchedule } from './intake/notice-rules';
import { QuotedClause } from './templates/notice-templates';

let catalogue: PolicyCatalogue | undefined;
const packs = (): PolicyCatalogue => (catalogue ??= PolicyCatalogue.builtIn());

/** What the notices remember of a case (from ViolationReported and CaseEscalated). */
interface NoticeCase {
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

const unaddressable = sharedCounter('conduct_notices_unaddressable_total', 'Events skipped because the case or approval they are about was never seen', ['type']);

/**
 * What the notices remember of the case. Case events arrive in stream order (key = caseId), after
 * its ViolationReported; one about a case never seen (its history trimmed from the topic) cannot
 * be addressed to anyone, so it is logged and counted and the consumer moves on.
 */
async function caseOf(manager: EntityManager, caseId: string, type: string): Promise<NoticeCase | undefined> {
  const [row] = await manager.query<NoticeCase[]>(`SELECT * FROM notice_cases WHERE case_id = $1`, [caseId]);
  if (!row) skipUnaddressable(type, `case ${caseId}`);
  return row;
}

function skipUnaddressable(type: string, subject: string): void {
  unaddressable.inc({ type });
  activeNoticeIntake().warn(`${type} about ${subject}, which this service never saw reported: no notice`);
}

function packOf(notice: NoticeCase): PolicyPackVersion {
  const pack = packs().find(notice.pack_id, notice.pack_version);
  if (!pack) throw new Error(`case ${notice.case_id} rests on ${notice.pack_id} v${notice.pack_version}, which the catalogue does not have`);
  return pack;
}

const quotedClauses = (notice: NoticeCase): QuotedClause[] => {
  const pack = packOf(notice);
  return notice.clauses.map((id) => {
    const clause = pack.clauses.find((candidate) => candidate.id === id);
    return { id, title: clause?.title ?? '', text: clause?.text ?? '' };
  });
};

const officerOf = (notice: NoticeCase): Audience => ({ role: 'OFFICER', serviceNumber: notice.service_number, unitId: notice.officer_unit_id });

const staleEvents = sharedCounter('conduct_notices_stale_events_total', 'Events older than NOTICE_MAX_EVENT_AGE_HOURS when read: no notice', ['type']);

/** Queues each planned notice for the envelope, in its inbox transaction; none for history older than the limit. */
async function queueAll(manager: EntityManager, envelope: EventEnvelope<object>, notices: PlannedNotice[]): Promise<void> {
  const intake = activeNoticeIntake();
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
  for (const notice of notices) await queueNotice(manager, envelope, context, notice, now, intake.warn);
}

const approvalHandlers: Record<string, InboxHandler<object>> = {
  ApprovalRequested: handlerFor(approvalContracts, 'ApprovalRequested', async ({ data }, manager) => {
    await manager.query(
      `INSERT INTO notice_approvals (approval_id, requester_id, unit_id, title) VALUES ($1, $2, $3, $4) ON CONFLICT (approval_id) DO NOTHING`,
      [data.approvalId, data.requester.id, data.requester.unitId, data.title],
    );
  }),
  ApprovalGranted: handlerFor(approvalContracts, 'ApprovalGranted', (envelope, manager) =>
    notifyRequester(manager, envelope, envelope.data.approvalId, (title) => ({
      kind: 'approval-granted',
      approvalId: envelope.data.approvalId,
      title,
      validFrom: envelope.data.validFrom,
      validUntil: envelope.data.validUntil,
      conditions: envelope.data.conditions,
    })),
  ),
  ApprovalRejected: handlerFor(approvalContracts, 'ApprovalRejected', (envelope, manager) =>
    notifyRequester(manager, envelope, envelope.data.approvalId, (title) => ({ kind: 'approval-rejected', approvalId: envelope.data.approvalId, title, reasons: envelope.data.reasons })),
  ),
  ApprovalRevoked: handlerFor(approvalContracts, 'ApprovalRevoked', (envelope, manager) =>
    notifyRequester(manager, envelope, envelope.data.approvalId, (title) => ({ kind: 'approval-revoked', approvalId: envelope.data.approvalId, title, reason: envelope.data.reason })),
  ),
};

type ApprovalFacts = Extract<PlannedNotice['facts'], { kind: 'approval-granted' | 'approval-rejected' | 'approval-revoked' }>;

/** A decision goes to whoever asked for the approval (their own entry, else their unit's officer-facing one). */
async function notifyRequester(manager: EntityManager, envelope: EventEnvelope<object>, approvalId: string, facts: (title: string) => ApprovalFacts): Promise<void> {
  const [approval] = await manager.query<{ requester_id: string; unit_id: string; title: string }[]>(
    `SELECT requester_id, unit_id, title FROM notice_approvals WHERE approval_id = $1`,
    [approvalId],
  );
  if (!approval) return skipUnaddressable(envelope.type, `approval ${approvalId}`);
  const noticeFacts = facts(approval.title);
  await queueAll(manager, envelope, [
    { kind: noticeFacts.kind, audience: { role: 'OFFICER', serviceNumber: approval.requester_id, unitId: approval.unit_id }, facts: noticeFacts, sendAfter: activeNoticeIntake().now(), approvalId },
  ]);
}

const caseHandlers: Record<string, InboxHandler<object>> = {
  ViolationReported: handlerFor(casesContracts, 'ViolationReported', async ({ data }, manager) => {
    await manager.query(
      `INSERT INTO notice_cases (case_id, service_number, officer_name, officer_rank, officer_unit_id, case_unit_id, pack_id, pack_version, clauses, content_url, escalation_level)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (case_id) DO NOTHING`,
      [
        data.caseId, data.officer.serviceNumber, data.officer.name, data.officer.rank, data.officer.unitId, data.jurisdiction.unitId ?? data.officer.unitId,
        data.policy.packId, data.policy.version, data.policy.clauses, data.contentUrl, data.escalationLevel,
      ],
    );
  }),

  /** The officer and their supervisor get the notice now; the officer a reminder per configured offset. */
  TakedownNoticeIssued: handlerFor(casesContracts, 'TakedownNoticeIssued', async (envelope, manager) => {
    const { data } = envelope;
    const notice = await caseOf(manager, data.caseId, envelope.type);
    if (!notice) return;
    const clauses = quotedClauses(notice);
    const officer: Audience = { role: 'OFFICER', serviceNumber: data.servedOn, unitId: notice.officer_unit_id };
    const ids = { caseId: data.caseId, noticeId: data.noticeId };
    const now = activeNoticeIntake().now();
    const facts = { kind: 'takedown-notice' as const, ...ids, officerName: notice.officer_name, contentUrl: data.contentUrl, dueAt: data.dueAt, clauses };
    const reminders = reminderSchedule(data.issuedAt, data.dueAt, activeNoticeIntake().reminderOffsetsHours, now).map(
      ({ offsetHours, sendAfter }): PlannedNotice => ({
        kind: 'takedown-reminder',
        audience: officer,
        facts: { kind: 'takedown-reminder', ...ids, contentUrl: data.contentUrl, dueAt: data.dueAt, hoursLeft: offsetHours, clauses },
        sendAfter,
        reminderOffsetHours: offsetHours,
        ...ids,
      }),
    );
    await queueAll(manager, envelope, [
      { kind: 'takedown-notice', audience: officer, facts, sendAfter: now, ...ids },
      { kind: 'takedown-notice', audience: { role: 'SUPERVISOR', unitId: notice.officer_unit_id }, facts, sendAfter: now, ...ids },
      ...reminders,
    ]);
  }),

  ContentRemovalConfirmed: handlerFor(casesContracts, 'ContentRemovalConfirmed', async ({ data }, manager) => {
    await cancelNotices(manager, { noticeId: data.noticeId }, 'content-removed', activeNoticeIntake().now());
  }),

  CaseClosed: handlerFor(casesContracts, 'CaseClosed', async ({ data }, manager) => {
    await cancelNotices(manager, { caseId: data.caseId }, 'case-closed', activeNoticeIntake().now());
  }),

  /** The level above the case's current one hears of the miss (CaseEscalated, which follows, tells it again as an escalation). */
  TakedownDeadlineMissed: handlerFor(casesContracts, 'TakedownDeadlineMissed', async (envelope, manager) => {
    const { data } = envelope;
    const notice = await caseOf(manager, data.caseId, envelope.type);
    if (!notice) return;
    const next = levelAbove(packOf(notice).escalationChain, notice.escalation_level);
    await queueAll(manager, envelope, [
      {
        kind: 'takedown-deadline-missed',
        audience: { role: directoryRoleForRank(next), unitId: notice.case_unit_id },
        facts: { kind: 'takedown-deadline-missed', caseId: data.caseId, noticeId: data.noticeId, officerName: notice.officer_name, serviceNumber: notice.service_number, dueAt: data.dueAt, escalatedTo: next },
        sendAfter: activeNoticeIntake().now(),
        caseId: data.caseId,
        noticeId: data.noticeId,
      },
    ]);
  }),

  CaseEscalated: handlerFor(casesContracts, 'CaseEscalated', async (envelope, manager) => {
    const { data } = envelope;
    const notice = await caseOf(manager, data.caseId, envelope.type);
    if (!notice) return;
    await manager.query(`UPDATE notice_cases SET escalation_level = $2 WHERE case_id = $1`, [data.caseId, data.to]);
    await queueAll(manager, envelope, [
      {
        kind: 'case-escalated',
        audience: { role: directoryRoleForRank(data.to), unitId: notice.case_unit_id },
        facts: { kind: 'case-escalated', caseId: data.caseId, officerName: notice.officer_name, serviceNumber: notice.service_number, from: data.from, to: data.to, noticeId: data.noticeId },
        sendAfter: activeNoticeIntake().now(),
        caseId: data.caseId,
        noticeId: data.noticeId,
      },
    ]);
  }),

  FindingRecorded: handlerFor(casesContracts, 'FindingRecorded', async (envelope, manager) => {
    const { data } = envelope;
    const notice = await caseOf(manager, data.caseId, envelope.type);
    if (!notice) return;
    await queueAll(manager, envelope, [
      {
        kind: 'finding-recorded',
        audience: officerOf(notice),
        facts: { kind: 'finding-recorded', caseId: data.caseId, outcome: data.outcome, clauses: data.clauses ?? [], reasons: data.reasons, ...(data.appealableUntil ? { appealableUntil: data.appealableUntil } : {}) },
        sendAfter: activeNoticeIntake().now(),
        caseId: data.caseId,
      },
    ]);
  }),

  SanctionImposed: handlerFor(casesContracts, 'SanctionImposed', async (envelope, manager) => {
    const { data } = envelope;
    const notice = await caseOf(manager, data.caseId, envelope.type);
    if (!notice) return;
    await queueAll(manager, envelope, [
      {
        kind: 'sanction-imposed',
        audience: officerOf(notice),
        facts: { kind: 'sanction-imposed', caseId: data.caseId, sanction: data.sanction, severity: data.severity, reasons: data.reasons, appealableUntil: data.appealableUntil },
        sendAfter: activeNoticeIntake().now(),
        caseId: data.caseId,
      },
    ]);
  }),

  AppealDecided: handlerFor(casesContracts, 'AppealDecided', async (envelope, manager) => {
    const { data } = envelope;
    const notice = await caseOf(manager, data.caseId, envelope.type);
    if (!notice) return;
    await queueAll(manager, envelope, [
      {
        kind: 'appeal-decided',
        audience: officerOf(notice),
        facts: { kind: 'appeal-decided', caseId: data.caseId, appealId: data.appealId, outcome: data.outcome, reasons: data.reasons, ...(data.reducedTo ? { reducedTo: data.reducedTo } : {}) },
        sendAfter: activeNoticeIntake().now(),
        caseId: data.caseId,
      },
    ]);
  }),

  /** The SSP of the officer's unit (as their latest flagged case names it, else the event's jurisdiction). */
  EarlyInterventionFlagRaised: handlerFor(casesContracts, 'EarlyInterventionFlagRaised', async (envelope, manager) => {
    const { data } = envelope;
    const [known] = await manager.query<{ officer_unit_id: string; officer_name: string }[]>(
      `SELECT officer_unit_id, officer_name FROM notice_cases WHERE case_id = ANY($1) ORDER BY array_position($1, case_id) DESC LIMIT 1`,
      [data.caseIds],
    );
    const unitId = known?.officer_unit_id ?? envelope.jurisdiction?.unitId;
    if (!unitId) return skipUnaddressable(envelope.type, `officer ${data.serviceNumber} (none of the cases known, no unit in the envelope)`);
    await queueAll(manager, envelope, [
      {
        kind: 'early-intervention',
        audience: { role: 'SSP', unitId },
        facts: {
          kind: 'early-intervention',
          serviceNumber: data.serviceNumber,
          officerName: known?.officer_name ?? data.serviceNumber,
          caseIds: data.caseIds,
          substantiatedFindings: data.threshold.substantiatedFindings,
          withinDays: data.threshold.withinDays,
        },
        sendAfter: activeNoticeIntake().now(),
      },
    ]);
  }),
};

/** One consumer per topic: notices about approvals and notices about cases. */
export const noticeConsumers: ConsumerDefinition[] = [
  { name: 'notices-approvals', topics: [Topics.approvals], handlers: approvalHandlers },
  { name: 'notices-cases', topics: [Topics.cases], handlers: caseHandlers },
];
