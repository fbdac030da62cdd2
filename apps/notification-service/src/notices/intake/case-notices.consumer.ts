import { casesContracts } from '@conduct/cases-contracts';
import { handlerFor, Topics } from '@conduct/messaging';
import { ConsumerDefinition, ConsumerHandlers } from '@conduct/event-sourcing';
import { replyLapsedNotices, showCauseNotices } from './due-process-notices';
import { NoticeIntake } from './notice-intake';
import { caseOf, officerOf, packOf, queueAll, quotedClauses, remindersBefore, skipUnaddressable } from './notice-planning';
import { cancelNotices } from './notice-queue';
import { Audience, directoryRoleForRank, levelAbove } from './notice-rules';

const caseHandlers = (intake: NoticeIntake): ConsumerHandlers => ({
  ViolationReported: handlerFor(casesContracts, 'ViolationReported', async ({ data }, manager) => {
    await manager.query(
      `INSERT INTO notice_cases (case_id, service_number, officer_name, officer_rank, officer_unit_id, case_unit_id, pack_id, pack_version, clauses, content_url, escalation_level)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (case_id) DO NOTHING`,
      [
        data.caseId,
        data.officer.serviceNumber,
        data.officer.name,
        data.officer.rank,
        data.officer.unitId,
        data.jurisdiction.unitId ?? data.officer.unitId,
        data.policy.packId,
        data.policy.version,
        data.policy.clauses,
        data.contentUrl,
        data.escalationLevel,
      ],
    );
  }),

  /** The officer and their supervisor get the notice now; the officer a reminder per configured offset. */
  TakedownNoticeIssued: handlerFor(casesContracts, 'TakedownNoticeIssued', async (envelope, manager) => {
    const { data } = envelope;
    const notice = await caseOf(intake, manager, data.caseId, envelope.type);
    if (!notice) return;
    const clauses = quotedClauses(intake, notice);
    const officer: Audience = { role: 'OFFICER', serviceNumber: data.servedOn, unitId: notice.officer_unit_id };
    const ids = { caseId: data.caseId, noticeId: data.noticeId };
    const now = intake.now();
    const facts = {
      kind: 'takedown-notice' as const,
      ...ids,
      officerName: notice.officer_name,
      contentUrl: data.contentUrl,
      dueAt: data.dueAt,
      clauses,
    };
    const reminders = remindersBefore(
      { issuedAt: data.issuedAt, dueAt: data.dueAt, offsetsHours: intake.reminderOffsetsHours, now },
      { kind: 'takedown-reminder', audience: officer, ids },
      (hoursLeft) => ({ kind: 'takedown-reminder', ...ids, contentUrl: data.contentUrl, dueAt: data.dueAt, hoursLeft, clauses }),
    );
    await queueAll(intake, manager, envelope, [
      { kind: 'takedown-notice', audience: officer, facts, sendAfter: now, ...ids },
      { kind: 'takedown-notice', audience: { role: 'SUPERVISOR', unitId: notice.officer_unit_id }, facts, sendAfter: now, ...ids },
      ...reminders,
    ]);
  }),

  ContentRemovalConfirmed: handlerFor(casesContracts, 'ContentRemovalConfirmed', async ({ data }, manager) => {
    await cancelNotices(intake.store, manager, { noticeId: data.noticeId }, 'content-removed', intake.now());
  }),

  /** The officer gets the notice now and a reminder per configured offset before the reply deadline. */
  ShowCauseNoticeIssued: handlerFor(casesContracts, 'ShowCauseNoticeIssued', async (envelope, manager) => {
    const notice = await caseOf(intake, manager, envelope.data.caseId, envelope.type);
    if (!notice) return;
    const planned = showCauseNotices(envelope.data, notice, packOf(intake, notice), intake.reminderOffsetsHours, intake.now());
    await queueAll(intake, manager, envelope, planned);
  }),

  ShowCauseReplyReceived: handlerFor(casesContracts, 'ShowCauseReplyReceived', async ({ data }, manager) => {
    await cancelNotices(intake.store, manager, { showCauseId: data.showCauseId }, 'show-cause-replied', intake.now());
  }),

  /** The reminders still pending are cancelled; the authority the case sits with hears that the hearing may follow. */
  ShowCauseReplyLapsed: handlerFor(casesContracts, 'ShowCauseReplyLapsed', async (envelope, manager) => {
    const { data } = envelope;
    await cancelNotices(intake.store, manager, { showCauseId: data.showCauseId }, 'show-cause-lapsed', intake.now());
    const notice = await caseOf(intake, manager, data.caseId, envelope.type);
    if (!notice) return;
    await queueAll(intake, manager, envelope, replyLapsedNotices(data, notice, packOf(intake, notice), intake.now()));
  }),

  // PersonalHearingHeld notifies nobody: the officer attended it (or was recorded absent) and the
  // authority held it; no deadline follows, and the decision it leads to (SanctionImposed) is
  // notified when it comes. Its reminders were settled by the reply or the lapse before it.

  CaseClosed: handlerFor(casesContracts, 'CaseClosed', async ({ data }, manager) => {
    await cancelNotices(intake.store, manager, { caseId: data.caseId }, 'case-closed', intake.now());
  }),

  /** The level above the case's current one hears of the miss (CaseEscalated, which follows, tells it again as an escalation). */
  TakedownDeadlineMissed: handlerFor(casesContracts, 'TakedownDeadlineMissed', async (envelope, manager) => {
    const { data } = envelope;
    const notice = await caseOf(intake, manager, data.caseId, envelope.type);
    if (!notice) return;
    const next = levelAbove(packOf(intake, notice).escalationChain, notice.escalation_level);
    await queueAll(intake, manager, envelope, [
      {
        kind: 'takedown-deadline-missed',
        audience: { role: directoryRoleForRank(next), unitId: notice.case_unit_id },
        facts: {
          kind: 'takedown-deadline-missed',
          caseId: data.caseId,
          noticeId: data.noticeId,
          officerName: notice.officer_name,
          serviceNumber: notice.service_number,
          dueAt: data.dueAt,
          escalatedTo: next,
        },
        sendAfter: intake.now(),
        caseId: data.caseId,
        noticeId: data.noticeId,
      },
    ]);
  }),

  CaseEscalated: handlerFor(casesContracts, 'CaseEscalated', async (envelope, manager) => {
    const { data } = envelope;
    const notice = await caseOf(intake, manager, data.caseId, envelope.type);
    if (!notice) return;
    await manager.query(`UPDATE notice_cases SET escalation_level = $2 WHERE case_id = $1`, [data.caseId, data.to]);
    await queueAll(intake, manager, envelope, [
      {
        kind: 'case-escalated',
        audience: { role: directoryRoleForRank(data.to), unitId: notice.case_unit_id },
        facts: {
          kind: 'case-escalated',
          caseId: data.caseId,
          officerName: notice.officer_name,
          serviceNumber: notice.service_number,
          from: data.from,
          to: data.to,
          noticeId: data.noticeId,
        },
        sendAfter: intake.now(),
        caseId: data.caseId,
        noticeId: data.noticeId,
      },
    ]);
  }),

  FindingRecorded: handlerFor(casesContracts, 'FindingRecorded', async (envelope, manager) => {
    const { data } = envelope;
    const notice = await caseOf(intake, manager, data.caseId, envelope.type);
    if (!notice) return;
    await queueAll(intake, manager, envelope, [
      {
        kind: 'finding-recorded',
        audience: officerOf(notice),
        facts: {
          kind: 'finding-recorded',
          caseId: data.caseId,
          outcome: data.outcome,
          clauses: data.clauses ?? [],
          reasons: data.reasons,
          ...(data.appealableUntil ? { appealableUntil: data.appealableUntil } : {}),
        },
        sendAfter: intake.now(),
        caseId: data.caseId,
      },
    ]);
  }),

  SanctionImposed: handlerFor(casesContracts, 'SanctionImposed', async (envelope, manager) => {
    const { data } = envelope;
    const notice = await caseOf(intake, manager, data.caseId, envelope.type);
    if (!notice) return;
    await queueAll(intake, manager, envelope, [
      {
        kind: 'sanction-imposed',
        audience: officerOf(notice),
        facts: {
          kind: 'sanction-imposed',
          caseId: data.caseId,
          sanction: data.sanction,
          severity: data.severity,
          reasons: data.reasons,
          appealableUntil: data.appealableUntil,
        },
        sendAfter: intake.now(),
        caseId: data.caseId,
      },
    ]);
  }),

  AppealDecided: handlerFor(casesContracts, 'AppealDecided', async (envelope, manager) => {
    const { data } = envelope;
    const notice = await caseOf(intake, manager, data.caseId, envelope.type);
    if (!notice) return;
    await queueAll(intake, manager, envelope, [
      {
        kind: 'appeal-decided',
        audience: officerOf(notice),
        facts: {
          kind: 'appeal-decided',
          caseId: data.caseId,
          appealId: data.appealId,
          outcome: data.outcome,
          reasons: data.reasons,
          ...(data.reducedTo ? { reducedTo: data.reducedTo } : {}),
        },
        sendAfter: intake.now(),
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
    if (!unitId) return skipUnaddressable(intake, envelope.type, `officer ${data.serviceNumber} (none of the cases known, no unit in the envelope)`);
    await queueAll(intake, manager, envelope, [
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
        sendAfter: intake.now(),
      },
    ]);
  }),
});

/** Notices about cases: takedown notices and reminders, escalations, due process, decisions, early intervention. */
export const caseNoticesConsumer: ConsumerDefinition = {
  name: 'notices-cases',
  topics: [Topics.cases],
  handlers: (get) => caseHandlers(get(NoticeIntake)),
};
