import { DomainError } from '@conduct/decider';
import { appealableDecision } from './appeal.rules';
import { authorize } from './case-access';
import { CloseCase, ReopenCase } from './case.commands';
import { CaseEvent } from './case.events';
import { at, existingCase, requireOpen, requireReasons } from './case-guards';
import { CaseState, OpenCase } from './case.state';

/** A case closes on a final outcome: a finding, no pending appeal or takedown, no appeal window still open. */
function closureBar(current: OpenCase, now: string): DomainError | undefined {
  const { outcome, file } = current;
  if (outcome.stage === 'investigating') return new DomainError('conflict', 'case.no-finding', 'A case is closed only on a finding');
  if (outcome.stage === 'under-appeal') return new DomainError('conflict', 'case.appeal-pending', 'The appeal must be decided first');
  if (file.takedown && file.takedown.status !== 'removed') {
    return new DomainError('conflict', 'case.takedown-pending', `Takedown notice ${file.takedown.noticeId} is still open`);
  }
  const decision = appealableDecision(outcome);
  if (decision && !decision.alreadyAppealed && at(now) <= at(decision.appealableUntil)) {
    return new DomainError('conflict', 'case.appeal-window-open', `The ${decision.against} may be appealed until ${decision.appealableUntil}`);
  }
  return undefined;
}

export function closeCase({ data }: CloseCase, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('CloseCase', data.actor, current.file.report);
  requireOpen(current);
  const bar = closureBar(current, data.now);
  if (bar) throw bar;
  requireReasons(data.reasons);
  return [{ type: 'CaseClosed', data: { caseId: current.file.report.caseId, reasons: data.reasons, closedBy: data.actor.id, closedAt: data.now } }];
}

export function reopenCase({ data }: ReopenCase, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('ReopenCase', data.actor, current.file.report);
  if (current.status !== 'closed') throw new DomainError('conflict', 'case.not-closed', 'Only a closed case can be reopened');
  requireReasons(data.reasons);
  return [
    { type: 'CaseReopened', data: { caseId: current.file.report.caseId, reasons: data.reasons, reopenedBy: data.actor.id, reopenedAt: data.now } },
  ];
}
