import { DomainError } from '@conduct/decider';
import { sanctionSeverity, SanctionSeverity } from '@conduct/policy';
import { authorize, isOfficerConcerned } from './case-access';
import { DecideAppeal, FileAppeal } from './case.commands';
import { AppealRuling, AppealTarget, CaseEvent } from './case.events';
import { at, existingCase, requireCasePack, requireOpen, requireReasons } from './case-guards';
import { CaseOutcome, CaseState } from './case.state';

export interface AppealableDecision {
  against: AppealTarget;
  appealableUntil: string;
  alreadyAppealed: boolean;
}

/** The decision an appeal would lie against now: the sanction once imposed, else a substantiated finding. */
export function appealableDecision(outcome: CaseOutcome): AppealableDecision | undefined {
  if (outcome.stage === 'sanctioned') {
    return { against: 'sanction', appealableUntil: outcome.sanction.appealableUntil, alreadyAppealed: outcome.appealed.includes('sanction') };
  }
  if (outcome.stage === 'found' && outcome.finding.outcome === 'substantiated') {
    return { against: 'finding', appealableUntil: outcome.finding.appealableUntil, alreadyAppealed: outcome.appealed.includes('finding') };
  }
  return undefined;
}

/** Filed by the officer concerned, or recorded for them by the disciplinary authority (an appeal on paper). */
export function fileAppeal({ data }: FileAppeal, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  const { report } = current.file;
  if (!isOfficerConcerned(data.actor, report)) authorize('FileAppeal', data.actor, report);
  requireOpen(current);
  if (current.outcome.stage === 'under-appeal') throw new DomainError('conflict', 'case.appeal-pending', 'An appeal is already pending');
  const decision = appealableDecision(current.outcome);
  if (!decision) throw new DomainError('conflict', 'case.nothing-to-appeal', 'Only a substantiated finding or a sanction can be appealed');
  if (decision.alreadyAppealed) throw new DomainError('conflict', 'case.already-appealed', `The ${decision.against} has already been appealed`);
  if (at(data.now) > at(decision.appealableUntil)) {
    throw new DomainError('conflict', 'case.appeal-window-closed', `The ${decision.against} could be appealed until ${decision.appealableUntil}`);
  }
  requireReasons(data.grounds, 'grounds');
  return [
    {
      type: 'AppealFiled',
      data: {
        caseId: report.caseId,
        appealId: data.appealId,
        against: decision.against,
        appellant: report.officer.serviceNumber,
        grounds: data.grounds,
        filedBy: data.actor.id,
        filedAt: data.now,
      },
    },
  ];
}

function reducedSeverity(
  claim: Extract<DecideAppeal['data'], { outcome: 'sanction-reduced' }>,
  original: { sanction: string; severity: SanctionSeverity },
): SanctionSeverity {
  const severity = sanctionSeverity(claim.pack, claim.reducedTo);
  if (severity === undefined) {
    throw new DomainError(
      'invalid',
      'case.unknown-sanction',
      `${claim.reducedTo} is not a sanction of ${claim.pack.packId} v${claim.pack.version}`,
      undefined,
      'reducedTo',
    );
  }
  if (claim.reducedTo === original.sanction || (original.severity === 'minor' && severity === 'major')) {
    throw new DomainError('invalid', 'case.not-a-reduction', `${claim.reducedTo} does not reduce ${original.sanction}`, undefined, 'reducedTo');
  }
  return severity;
}

export function decideAppeal({ data }: DecideAppeal, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  authorize('DecideAppeal', data.actor, current.file.report);
  requireOpen(current);
  requireCasePack(data.pack, current);
  const { outcome } = current;
  if (outcome.stage !== 'under-appeal') throw new DomainError('conflict', 'case.no-pending-appeal', 'No appeal is pending');
  if (data.actor.id === outcome.finding.recordedBy || data.actor.id === outcome.sanction?.imposedBy) {
    throw new DomainError('forbidden', 'case.own-decision', 'Nobody rules on an appeal against their own decision (separation of duties)');
  }
  requireReasons(data.reasons);
  let ruling: AppealRuling;
  if (data.outcome === 'sanction-reduced') {
    if (outcome.appeal.against !== 'sanction' || !outcome.sanction) {
      throw new DomainError(
        'conflict',
        'case.no-sanction-to-reduce',
        'The appeal is against the finding; no sanction was imposed',
        undefined,
        'outcome',
      );
    }
    ruling = { outcome: 'sanction-reduced', reducedTo: data.reducedTo, severity: reducedSeverity(data, outcome.sanction) };
  } else {
    ruling = { outcome: data.outcome };
  }
  return [
    {
      type: 'AppealDecided',
      data: {
        caseId: current.file.report.caseId,
        appealId: outcome.appeal.appealId,
        ...ruling,
        reasons: data.reasons,
        decidedBy: data.actor.id,
        decidedAt: data.now,
      },
    },
  ];
}
