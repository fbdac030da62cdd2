import { isEarlyInterventionDue, PolicyPackVersion } from '@conduct/policy';
import { EarlyInterventionFlagRaised } from './case.events';

const MILLIS_PER_DAY = 24 * 60 * 60 * 1000;

/** A substantiated finding that stands (not set aside on appeal, not superseded by a reopening). */
export interface StandingFinding {
  caseId: string;
  recordedAt: string;
}

/** What the service's per-officer read model keeps. */
export interface OfficerHistory {
  serviceNumber: string;
  substantiatedFindings: readonly StandingFinding[];
  /** Every case already named by an earlier flag. */
  flaggedCaseIds: readonly string[];
}

/** The latest finding per case: a reopened case counts once. */
function latestPerCase(findings: readonly StandingFinding[]): StandingFinding[] {
  const latest = new Map<string, StandingFinding>();
  for (const finding of findings) {
    const known = latest.get(finding.caseId);
    if (!known || Date.parse(finding.recordedAt) > Date.parse(known.recordedAt)) latest.set(finding.caseId, finding);
  }
  return [...latest.values()];
}

/**
 * The flag to raise for an officer at `now`, or undefined. Due when the pack's threshold of
 * substantiated findings falls within its rolling window (isEarlyInterventionDue); raised again
 * only when a case in the window was not named by an earlier flag, so re-running it changes nothing.
 */
export function earlyInterventionFor(history: OfficerHistory, pack: PolicyPackVersion, now: string): EarlyInterventionFlagRaised | undefined {
  const end = Date.parse(now);
  const start = end - pack.earlyIntervention.withinDays * MILLIS_PER_DAY;
  // Later findings do not count "as of" now, nor may they hide an earlier one of the same case.
  const findings = latestPerCase(history.substantiatedFindings.filter((finding) => Date.parse(finding.recordedAt) <= end));
  if (
    !isEarlyInterventionDue(
      pack,
      findings.map((finding) => finding.recordedAt),
      now,
    )
  )
    return undefined;
  const inWindow = findings
    .filter((finding) => Date.parse(finding.recordedAt) > start)
    .sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt));
  if (inWindow.every((finding) => history.flaggedCaseIds.includes(finding.caseId))) return undefined;
  return {
    type: 'EarlyInterventionFlagRaised',
    data: {
      serviceNumber: history.serviceNumber,
      caseIds: inWindow.map((finding) => finding.caseId),
      threshold: { ...pack.earlyIntervention },
      policy: { packId: pack.packId, version: pack.version },
      windowStart: new Date(start).toISOString(),
      raisedAt: now,
    },
  };
}
