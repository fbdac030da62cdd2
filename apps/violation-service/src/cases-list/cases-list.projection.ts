import { casesContracts } from '@conduct/cases-contracts';
import { InboxHandler, isImported, projection } from '@conduct/messaging';

/**
 * The consumer applies each case in version order (inStreamOrder: an early event waits, parked, for
 * the one before it), and `change` moves a row on by exactly one version (moveStreamRow). Events
 * that change nothing listed still move the version on (`versionOnly`).
 */
const { on, move: change, versionOnly } = projection(casesContracts, { table: 'cases_list', id: 'case_id', version: 'version' });

/** Keeps `cases_list` up to date from this service's own events on conduct.cases.v1. */
export const casesListHandlers: Record<string, InboxHandler<object>> = {
  ViolationReported: on('ViolationReported', async (envelope, manager) => {
    const { data, streamVersion } = envelope;
    await manager.query(
      `INSERT INTO cases_list (case_id, officer_service_number, officer_name, officer_rank, officer_unit_id, province, range, district,
                               unit_id, platform, clauses, status, stage, escalation_level, reported_at, version, imported)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', 'investigating', $12, $13, $14, $15)
       ON CONFLICT (case_id) DO NOTHING`,
      [
        data.caseId,
        data.officer.serviceNumber,
        data.officer.name,
        data.officer.rank,
        data.officer.unitId,
        data.jurisdiction.province,
        data.jurisdiction.range ?? null,
        data.jurisdiction.district ?? null,
        // As the case records it: scope checks compare the case's own unit, if it names one.
        data.jurisdiction.unitId ?? null,
        data.platform,
        data.policy.clauses,
        data.escalationLevel,
        data.reportedAt,
        streamVersion,
        isImported(envelope),
      ],
    );
  }),
  InvestigatorAssigned: on('InvestigatorAssigned', (e, m) => change(m, e, `investigator_id = $3`, [e.data.investigatorId])),
  ApprovalCoverageFound: on('ApprovalCoverageFound', versionOnly),
  EvidenceAdded: on('EvidenceAdded', versionOnly),
  NoteAdded: on('NoteAdded', versionOnly),
  TakedownNoticeIssued: on('TakedownNoticeIssued', (e, m) =>
    change(m, e, `takedown_notice_id = $3, takedown_status = 'pending', takedown_due_at = $4, takedown_removed_at = NULL`, [
      e.data.noticeId,
      e.data.dueAt,
    ]),
  ),
  ContentRemovalConfirmed: on('ContentRemovalConfirmed', (e, m) =>
    change(m, e, `takedown_status = 'removed', takedown_removed_at = $3`, [e.data.verifiedAt]),
  ),
  TakedownDeadlineMissed: on('TakedownDeadlineMissed', (e, m) => change(m, e, `takedown_status = 'overdue'`)),
  CaseEscalated: on('CaseEscalated', (e, m) => change(m, e, `escalation_level = $3`, [e.data.to])),
  FindingRecorded: on('FindingRecorded', (e, m) => change(m, e, `stage = 'found', finding_outcome = $3`, [e.data.outcome])),
  ShowCauseNoticeIssued: on('ShowCauseNoticeIssued', (e, m) =>
    change(m, e, `show_cause_id = $3, show_cause_reply = 'awaited', show_cause_reply_due_at = $4`, [e.data.showCauseId, e.data.replyDueAt]),
  ),
  ShowCauseReplyReceived: on('ShowCauseReplyReceived', (e, m) => change(m, e, `show_cause_reply = 'received'`)),
  ShowCauseReplyLapsed: on('ShowCauseReplyLapsed', (e, m) => change(m, e, `show_cause_reply = 'lapsed'`)),
  PersonalHearingHeld: on('PersonalHearingHeld', (e, m) => change(m, e, `hearing_held_at = $3`, [e.data.heldAt])),
  SanctionImposed: on('SanctionImposed', (e, m) => change(m, e, `stage = 'sanctioned', sanction = $3`, [e.data.sanction])),
  AppealFiled: on('AppealFiled', (e, m) => change(m, e, `stage = 'under-appeal'`)),
  AppealDecided: on('AppealDecided', (e, m) => {
    switch (e.data.outcome) {
      case 'upheld':
        return change(m, e, `stage = 'set-aside'`);
      case 'sanction-reduced':
        return change(m, e, `stage = 'sanctioned', sanction = $3`, [e.data.reducedTo]);
      default:
        // Dismissed: the decision appealed stands.
        return change(m, e, `stage = CASE WHEN sanction IS NULL THEN 'found' ELSE 'sanctioned' END`);
    }
  }),
  CaseClosed: on('CaseClosed', (e, m) => change(m, e, `status = 'closed', closed_at = $3`, [e.data.closedAt])),
  // A reopened case is investigated afresh: the next finding supersedes the last one, with due process of its own.
  CaseReopened: on('CaseReopened', (e, m) =>
    change(
      m,
      e,
      `status = 'open', stage = 'investigating', finding_outcome = NULL, sanction = NULL, closed_at = NULL,
       show_cause_id = NULL, show_cause_reply = NULL, show_cause_reply_due_at = NULL, hearing_held_at = NULL`,
    ),
  ),
};
