import { DomainError } from '@conduct/decider';
import { nextEscalationLevel, takedownDueDate } from '@conduct/policy';
import { authorize } from './case-access';
import { ConfirmContentRemoval, IssueTakedownNotice, RecordMissedTakedownDeadline } from './case.commands';
import { CaseEvent } from './case.events';
import { at, existingCase, requireCasePack, requireHappened, requireOpen } from './case-guards';
import { CaseOutcome, CaseState, OpenCase, Takedown } from './case.state';

/* SND-6: content must be gone within the pack's takedown period from the notice served on the officer. */

const contentCleared = (outcome: CaseOutcome): boolean =>
  (outcome.stage === 'found' && outcome.finding.outcome !== 'substantiated') || outcome.stage === 'set-aside';

/** The case's latest notice, if it is the one named. */
function noticeNamed(current: OpenCase, noticeId: string): Takedown {
  const notice = current.file.takedown;
  if (notice?.noticeId !== noticeId)
    throw new DomainError('not-found', 'case.notice-not-found', `No takedown notice ${noticeId} is open on this case`, undefined, 'noticeId');
  if (notice.status === 'removed')
    throw new DomainError('conflict', 'case.already-removed', `The content of notice ${noticeId} has already been removed`);
  return notice;
}

export function issueTakedownNotice({ data }: IssueTakedownNotice, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('IssueTakedownNotice', data.actor, current.file.report);
  requireOpen(current);
  requireCasePack(data.pack, current);
  const pending = current.file.takedown;
  if (pending && pending.status !== 'removed') {
    throw new DomainError('conflict', 'case.takedown-pending', `Notice ${pending.noticeId} is still open; confirm removal before serving another`);
  }
  if (contentCleared(current.outcome)) {
    throw new DomainError('conflict', 'case.content-cleared', 'The finding clears the content: there is nothing to take down');
  }
  requireHappened(data.servedAt, 'servedAt', data.now);
  const { report } = current.file;
  return [
    {
      type: 'TakedownNoticeIssued',
      data: {
        caseId: report.caseId,
        noticeId: data.noticeId,
        contentUrl: report.contentUrl,
        servedOn: report.officer.serviceNumber,
        servedAt: data.servedAt,
        dueAt: takedownDueDate(data.pack, data.servedAt),
        issuedBy: data.actor.id,
        issuedAt: data.now,
      },
    },
  ];
}

/** Removal after the deadline is still confirmed (late compliance), and says so. */
export function confirmContentRemoval({ data }: ConfirmContentRemoval, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('ConfirmContentRemoval', data.actor, current.file.report);
  requireOpen(current);
  const notice = noticeNamed(current, data.noticeId);
  requireHappened(data.verifiedAt, 'verifiedAt', data.now);
  if (at(data.verifiedAt) < at(notice.servedAt)) {
    throw new DomainError('invalid', 'case.verified-before-served', 'verifiedAt lies before the notice was served', undefined, 'verifiedAt');
  }
  return [
    {
      type: 'ContentRemovalConfirmed',
      data: {
        caseId: current.file.report.caseId,
        noticeId: notice.noticeId,
        verifiedBy: data.actor.id,
        verifiedAt: data.verifiedAt,
        withinDeadline: at(data.verifiedAt) <= at(notice.dueAt),
        recordedAt: data.now,
      },
    },
  ];
}

/** Escalates one level up the chain of command, once per notice; at the top the miss is only recorded. */
export function recordMissedTakedownDeadline({ data }: RecordMissedTakedownDeadline, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  requireOpen(current);
  requireCasePack(data.pack, current);
  const notice = noticeNamed(current, data.noticeId);
  if (notice.status === 'overdue')
    throw new DomainError('conflict', 'case.deadline-already-missed', `The missed deadline of notice ${notice.noticeId} is already recorded`);
  if (at(data.now) < at(notice.dueAt))
    throw new DomainError('conflict', 'case.takedown-not-due', `Notice ${notice.noticeId} is due at ${notice.dueAt}`);
  const { caseId } = current.file.report;
  const from = current.file.escalationLevel;
  const to = nextEscalationLevel(data.pack, from);
  const missed: CaseEvent = { type: 'TakedownDeadlineMissed', data: { caseId, noticeId: notice.noticeId, dueAt: notice.dueAt, missedAt: data.now } };
  if (to === undefined) return [missed];
  return [
    missed,
    { type: 'CaseEscalated', data: { caseId, from, to, reason: 'takedown-deadline-missed', noticeId: notice.noticeId, escalatedAt: data.now } },
  ];
}
