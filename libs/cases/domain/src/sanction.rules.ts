import { DomainError } from '@conduct/decider';
import { appealDeadline, sanctionSeverity } from '@conduct/policy';
import { authorize } from './case-access';
import { ImposeSanction } from './case.commands';
import { CaseEvent } from './case.events';
import { existingCase, requireCasePack, requireOpen, requireReasons } from './case-guards';
import { CaseOutcome, CaseState } from './case.state';

/** Why no sanction can be imposed now, or undefined when the case stands on a substantiated finding. */
function sanctionBar(outcome: CaseOutcome): DomainError | undefined {
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

/** Only from the pack's list; its severity (minor / major) comes from the pack too. */
export function imposeSanction({ data }: ImposeSanction, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('ImposeSanction', data.actor, current.file.report);
  requireOpen(current);
  requireCasePack(data.pack, current);
  const bar = sanctionBar(current.outcome);
  if (bar) throw bar;
  requireReasons(data.reasons);
  const severity = sanctionSeverity(data.pack, data.sanction);
  if (severity === undefined) {
    throw new DomainError(
      'invalid',
      'case.unknown-sanction',
      `${data.sanction} is not a sanction of ${data.pack.packId} v${data.pack.version}`,
      undefined,
      'sanction',
    );
  }
  return [
    {
      type: 'SanctionImposed',
      data: {
        caseId: current.file.report.caseId,
        sanction: data.sanction,
        severity,
        reasons: data.reasons,
        imposedBy: data.actor.id,
        imposedAt: data.now,
        appealableUntil: appealDeadline(data.pack, data.now),
      },
    },
  ];
}
