import { DomainError } from '@conduct/decider';
import { dueProcessRequired, PolicyPackVersion, sanctionSeverity, SanctionSeverity, showCauseReplyDueDate } from '@conduct/policy';
import { authorize } from './case-access';
import { IssueShowCauseNotice, RecordLapsedShowCauseReply, RecordPersonalHearing, RecordShowCauseReply } from './case.commands';
import { CaseEvent } from './case.events';
import { at, existingCase, requireCasePack, requireHappened, requireOpen, requireReasons } from './case-guards';
import { CaseOutcome, CaseState, DueProcess, OpenCase } from './case.state';

/*
 * Due process before a major penalty (the Police (Efficiency and Discipline) Rules): a show-cause
 * notice naming the grounds and the penalty proposed, the officer's written reply within the pack's
 * period (or that period lapsing), and a personal hearing. Only then may the penalties the pack
 * lists under `dueProcess.requiredFor` be imposed; the others keep the direct path.
 */

/** Why no sanction can be imposed now (nor a show-cause notice proposing one), or undefined when a substantiated finding stands. */
export function sanctionBar(outcome: CaseOutcome): DomainError | undefined {
  switch (outcome.stage) {
    case 'found':
      if (outcome.finding.outcome === 'substantiated') return undefined;
      return new DomainError('conflict', 'case.no-substantiated-finding', `The finding is ${outcome.finding.outcome}: there is nothing to sanction`);
    case 'investigating':
    case 'set-aside':
      return new DomainError('conflict', 'case.no-substantiated-finding', 'A sanction needs a substantiated finding that stands');
    case 'sanctioned':
      return new DomainError('conflict', 'case.already-sanctioned', `${outcome.sanction.sanction} is already imposed`);
    case 'under-appeal':
      return new DomainError('conflict', 'case.appeal-pending', 'The decision is under appeal');
  }
}

/** The pack's severity of a sanction id, or a 422 naming `field`. */
export function requireSanction(pack: PolicyPackVersion, sanction: string, field: string): SanctionSeverity {
  const severity = sanctionSeverity(pack, sanction);
  if (severity === undefined) {
    throw new DomainError('invalid', 'case.unknown-sanction', `${sanction} is not a sanction of ${pack.packId} v${pack.version}`, undefined, field);
  }
  return severity;
}

function requireShowCause(current: OpenCase): DueProcess {
  const steps = current.file.dueProcess;
  if (!steps) throw new DomainError('conflict', 'case.no-show-cause-notice', 'No show-cause notice has been served on this case');
  return steps;
}

export function issueShowCauseNotice({ data }: IssueShowCauseNotice, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('IssueShowCauseNotice', data.actor, current.file.report);
  requireOpen(current);
  requireCasePack(data.pack, current);
  const { outcome } = current;
  if (outcome.stage !== 'found') throw sanctionBar(outcome)!;
  const bar = sanctionBar(outcome);
  if (bar) throw bar;
  const served = current.file.dueProcess;
  if (served)
    throw new DomainError('conflict', 'case.show-cause-already-served', `Show-cause notice ${served.showCauseId} was served on ${served.servedAt}`);
  requireReasons(data.grounds, 'grounds');
  requireSanction(data.pack, data.proposedSanction, 'proposedSanction');
  requireHappened(data.servedAt, 'servedAt', data.now, { at: outcome.finding.recordedAt, what: 'the finding was recorded' });
  const { report } = current.file;
  return [
    {
      type: 'ShowCauseNoticeIssued',
      data: {
        caseId: report.caseId,
        showCauseId: data.showCauseId,
        servedOn: report.officer.serviceNumber,
        grounds: data.grounds,
        proposedSanction: data.proposedSanction,
        servedAt: data.servedAt,
        replyDueAt: showCauseReplyDueDate(data.pack, data.servedAt),
        issuedBy: data.actor.id,
        issuedAt: data.now,
      },
    },
  ];
}

/**
 * A reply received by the deadline is recorded even if the watcher has already recorded the lapse
 * (a paper reply entered late must not be lost); one received after the deadline is refused.
 */
export function recordShowCauseReply({ data }: RecordShowCauseReply, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('RecordShowCauseReply', data.actor, current.file.report);
  requireOpen(current);
  const steps = requireShowCause(current);
  if (steps.reply === 'received') throw new DomainError('conflict', 'case.show-cause-reply-recorded', "The officer's reply is already recorded");
  requireReasons([data.reply], 'reply');
  requireHappened(data.receivedAt, 'receivedAt', data.now, { at: steps.servedAt, what: 'the show-cause notice was served' });
  if (at(data.receivedAt) > at(steps.replyDueAt)) {
    throw new DomainError('conflict', 'case.show-cause-reply-late', `The reply was due by ${steps.replyDueAt}`, undefined, 'receivedAt');
  }
  const { caseId } = current.file.report;
  return [
    {
      type: 'ShowCauseReplyReceived',
      data: {
        caseId,
        showCauseId: steps.showCauseId,
        reply: data.reply,
        receivedAt: data.receivedAt,
        recordedBy: data.actor.id,
        recordedAt: data.now,
      },
    },
  ];
}

export function recordLapsedShowCauseReply({ data }: RecordLapsedShowCauseReply, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  requireOpen(current);
  const steps = requireShowCause(current);
  if (steps.showCauseId !== data.showCauseId || steps.reply !== 'awaited') {
    throw new DomainError('conflict', 'case.show-cause-reply-settled', `Show-cause notice ${data.showCauseId} awaits no reply`);
  }
  if (at(data.now) < at(steps.replyDueAt))
    throw new DomainError('conflict', 'case.show-cause-reply-not-due', `The reply is due by ${steps.replyDueAt}`);
  const { caseId } = current.file.report;
  return [{ type: 'ShowCauseReplyLapsed', data: { caseId, showCauseId: steps.showCauseId, replyDueAt: steps.replyDueAt, lapsedAt: data.now } }];
}

/** After the reply or its lapse; with the officer present or, if they did not appear, without them. */
export function recordPersonalHearing({ data }: RecordPersonalHearing, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('RecordPersonalHearing', data.actor, current.file.report);
  requireOpen(current);
  const steps = requireShowCause(current);
  if (steps.hearing) throw new DomainError('conflict', 'case.hearing-already-held', `The personal hearing was held on ${steps.hearing.heldAt}`);
  if (steps.reply === 'awaited') {
    throw new DomainError(
      'conflict',
      'case.show-cause-reply-awaited',
      `The officer may reply until ${steps.replyDueAt}; the hearing follows the reply`,
    );
  }
  requireReasons([data.record], 'record');
  const follows =
    steps.reply === 'received' && steps.repliedAt
      ? { at: steps.repliedAt, what: 'the reply was received' }
      : { at: steps.replyDueAt, what: 'the reply period ended' };
  requireHappened(data.heldAt, 'heldAt', data.now, follows);
  const { caseId } = current.file.report;
  return [
    {
      type: 'PersonalHearingHeld',
      data: {
        caseId,
        showCauseId: steps.showCauseId,
        heldAt: data.heldAt,
        officerPresent: data.officerPresent,
        record: data.record,
        heldBy: data.actor.id,
        recordedAt: data.now,
      },
    },
  ];
}

/** The steps still owed before a penalty of this severity, in order; empty when none are (or the pack asks none). */
export function stepsOwed(pack: PolicyPackVersion, severity: SanctionSeverity, steps: DueProcess | undefined): string[] {
  if (!dueProcessRequired(pack, severity)) return [];
  const owed: string[] = [];
  if (!steps) owed.push('a show-cause notice');
  if (!steps || steps.reply === 'awaited') owed.push("the officer's written reply or the lapse of its period");
  if (!steps?.hearing) owed.push('a personal hearing');
  return owed;
}

/**
 * Refuses a penalty the pack owes due process for while a step is missing, naming the rule and the
 * steps; and one of a severity the show-cause notice did not put to the officer (a notice proposing
 * censure does not answer for a dismissal).
 */
export function requireDueProcess(pack: PolicyPackVersion, sanction: string, severity: SanctionSeverity, steps: DueProcess | undefined): void {
  const owed = stepsOwed(pack, severity, steps);
  if (owed.length > 0) {
    throw new DomainError(
      'conflict',
      'case.due-process-incomplete',
      `${sanction} is a ${severity} penalty: the ${pack.dueProcess.rule} require ${owed.join(', ')} before it is imposed`,
      undefined,
      'sanction',
    );
  }
  const proposed = steps && sanctionSeverity(pack, steps.proposedSanction);
  if (dueProcessRequired(pack, severity) && proposed !== undefined && !dueProcessRequired(pack, proposed)) {
    throw new DomainError(
      'conflict',
      'case.penalty-not-proposed',
      `${sanction} is a ${severity} penalty, but the show-cause notice proposed ${steps!.proposedSanction} (${proposed}): the officer must be told of a ${severity} penalty and heard on it`,
      undefined,
      'sanction',
    );
  }
}
