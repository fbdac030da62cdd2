import { appealDeadline } from '@conduct/policy';
import { authorize } from './case-access';
import { ImposeSanction } from './case.commands';
import { CaseEvent } from './case.events';
import { existingCase, requireCasePack, requireOpen, requireReasons } from './case-guards';
import { CaseState } from './case.state';
import { requireDueProcess, requireSanction, sanctionBar } from './due-process.rules';

/** Only from the pack's list; its severity (minor / major) comes from the pack too, and decides whether due process is owed first. */
export function imposeSanction({ data }: ImposeSanction, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('ImposeSanction', data.actor, current.file.report);
  requireOpen(current);
  requireCasePack(data.pack, current);
  const bar = sanctionBar(current.outcome);
  if (bar) throw bar;
  requireReasons(data.reasons);
  const severity = requireSanction(data.pack, data.sanction, 'sanction');
  requireDueProcess(data.pack, data.sanction, severity, current.file.dueProcess);
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
