import { ShowCauseNoticeIssuedV1, ShowCauseReplyLapsedV1 } from '@conduct/cases-contracts';
import { PolicyPackVersion, sanctionSeverity } from '@conduct/policy';
import { ShowCauseFacts } from '../templates/notice-templates';
import { NoticeCase, remindersBefore } from './notice-planning';
import { PlannedNotice } from './notice-queue';
import { Audience, directoryRoleForRank } from './notice-rules';

/*
 * The notices of due process before a major penalty (the Police (Efficiency and Discipline) Rules,
 * named by the case's pack as `dueProcess.rule`), planned as the takedown notice's are: the notice to
 * the officer now, reminders before the reply deadline at the same offsets, keyed by the show-cause
 * notice so that its reply or lapse cancels them and nothing else.
 */

/** The officer served gets the show-cause notice now and a reminder per offset before `replyDueAt`. */
export function showCauseNotices(
  data: ShowCauseNoticeIssuedV1,
  notice: NoticeCase,
  pack: PolicyPackVersion,
  reminderOffsetsHours: readonly number[],
  now: Date,
): PlannedNotice[] {
  const officer: Audience = { role: 'OFFICER', serviceNumber: data.servedOn, unitId: notice.officer_unit_id };
  const ids = { caseId: data.caseId, showCauseId: data.showCauseId };
  const severity = sanctionSeverity(pack, data.proposedSanction);
  const facts: ShowCauseFacts = {
    ...ids,
    rule: pack.dueProcess.rule,
    grounds: data.grounds,
    proposedSanction: data.proposedSanction,
    ...(severity ? { severity } : {}),
    replyDueAt: data.replyDueAt,
  };
  const reminders = remindersBefore(
    { issuedAt: data.issuedAt, dueAt: data.replyDueAt, offsetsHours: reminderOffsetsHours, now },
    { kind: 'show-cause-reminder', audience: officer, ids },
    (hoursLeft) => ({ kind: 'show-cause-reminder', ...facts, hoursLeft }),
  );
  return [{ kind: 'show-cause-notice', audience: officer, facts: { kind: 'show-cause-notice', ...facts }, sendAfter: now, ...ids }, ...reminders];
}

/**
 * The authority the case sits with (its escalation level at the case's unit: the SSP, or the DIG
 * once escalated there) hears that the reply period lapsed and the personal hearing may follow.
 */
export function replyLapsedNotices(data: ShowCauseReplyLapsedV1, notice: NoticeCase, pack: PolicyPackVersion, now: Date): PlannedNotice[] {
  const ids = { caseId: data.caseId, showCauseId: data.showCauseId };
  return [
    {
      kind: 'show-cause-reply-lapsed',
      audience: { role: directoryRoleForRank(notice.escalation_level), unitId: notice.case_unit_id },
      facts: {
        kind: 'show-cause-reply-lapsed',
        ...ids,
        officerName: notice.officer_name,
        serviceNumber: notice.service_number,
        replyDueAt: data.replyDueAt,
        rule: pack.dueProcess.rule,
      },
      sendAfter: now,
      ...ids,
    },
  ];
}
