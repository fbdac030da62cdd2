import { toEpochMillis } from './instant';
import { ClauseEvaluation, ConductFacts, ExemptingFact, NotApplicableReason, PolicyClause, PolicyEvaluation, PolicyPackVersion } from './policy-pack';

/*
 * Whether alleged clauses apply to a piece of conduct under one pack version. Facts that are not
 * given count against applicability (no features recorded = none shown) and never for an
 * exemption (approval not stated = not covered): a clause is only held to apply on facts that are
 * actually on record, and only excused on facts that are.
 */

/** The clause with this id in the pack, if it has one. */
export function findClause(pack: PolicyPackVersion, clauseId: string): PolicyClause | undefined {
  return pack.clauses.find((clause) => clause.id === clauseId);
}

/** Why the clause does not apply to the facts; empty when it applies. */
export function reasonsNotApplicable(clause: PolicyClause, facts: ConductFacts): NotApplicableReason[] {
  const rule = clause.appliesWhen;
  const reasons: NotApplicableReason[] = [];
  if (rule.requiresOnDuty && !facts.onDuty) {
    reasons.push({ code: 'off-duty', message: `${clause.id} applies only on duty` });
  }
  if (rule.features && !rule.features.some((feature) => facts.features?.includes(feature))) {
    reasons.push({ code: 'no-listed-feature', message: `${clause.id} applies only to conduct showing ${rule.features.join(', ')}` });
  }
  if (rule.kinds && !rule.kinds.some((kind) => facts.kinds?.includes(kind))) {
    reasons.push({ code: 'kind-not-covered', message: `${clause.id} applies only to ${rule.kinds.join(', ')}` });
  }
  if (rule.platforms && !rule.platforms.includes(facts.platform.toLowerCase())) {
    reasons.push({ code: 'platform-not-covered', message: `${clause.id} applies only on ${rule.platforms.join(', ')}` });
  }
  if (rule.exemptWhen && rule.exemptWhen.every((fact) => facts[fact] === true)) {
    reasons.push({ code: 'exempt', message: `${clause.id} does not apply: ${rule.exemptWhen.map(describeExemption).join(' and ')}` });
  }
  return reasons;
}

/**
 * Evaluates the alleged clauses (all clauses of the pack when none are named) under `pack`, which
 * the caller has chosen as the one in force at `facts.observedAt` (PolicyCatalogue.evaluate does).
 */
export function evaluateClauses(
  pack: PolicyPackVersion,
  facts: ConductFacts,
  alleged: readonly string[] = pack.clauses.map((clause) => clause.id),
): PolicyEvaluation {
  const observedAt = new Date(toEpochMillis(facts.observedAt, 'observedAt')).toISOString();
  const clauses = alleged.map((clauseId): ClauseEvaluation => {
    const clause = findClause(pack, clauseId);
    const reasons: NotApplicableReason[] = clause
      ? reasonsNotApplicable(clause, facts)
      : [{ code: 'clause-not-in-pack', message: `${clauseId} is not in policy pack ${pack.packId} v${pack.version}, in force at ${observedAt}` }];
    return { clauseId, applies: reasons.length === 0, reasons };
  });
  return { packId: pack.packId, version: pack.version, observedAt, clauses };
}

function describeExemption(fact: ExemptingFact): string {
  switch (fact) {
    case 'approvalCovered':
      return 'covered by an approval';
    case 'usedOfficialAccount':
      return 'published through an official account';
    case 'platformPermitted':
      return 'the platform use is permitted';
  }
}
