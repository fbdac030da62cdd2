/**
 * The early-intervention what-if: which officers a proposed threshold would flag as of a date, and
 * which flags already raised it would not have raised. Replays each officer's history of findings
 * (reporting's `officer_history`) as violation-service's watcher keeps it: a substantiated finding
 * stands until an appeal is upheld, the case is reopened, or a later finding of the case replaces it.
 */

/** A step of an officer's history that bears on their findings, in business-time order. */
export interface FindingStep {
  serviceNumber: string;
  caseId: string;
  type: 'FindingRecorded' | 'AppealDecided' | 'CaseReopened';
  at: string;
  /** FindingRecorded: outcome and clauses held proven; AppealDecided: outcome. */
  detail: { outcome?: string; clauses?: string[] };
}

/** A flag raised before, as reporting keeps it. */
export interface RaisedFlag {
  serviceNumber: string;
  raisedAt: string;
  caseIds: string[];
}

export interface WhatIfThreshold {
  /** Substantiated findings that flag an officer... */
  substantiatedFindings: number;
  /** ...within this many days up to the as-of date... */
  withinDays: number;
  /** ...counting only findings that hold one of these clauses proven (all clauses when absent). */
  clauses?: string[];
}

export interface WhatIfAnswer {
  asOf: string;
  threshold: WhatIfThreshold;
  windowStart: string;
  /** Officers the threshold flags as of the date: the findings that do it, and whether a flag already names them. */
  flagged: { serviceNumber: string; caseIds: string[]; alreadyFlagged: boolean }[];
  /** Flags raised by the date that the threshold would not have raised: the officer does not meet it. */
  lapsing: RaisedFlag[];
}

const MILLIS_PER_DAY = 86_400_000;

/** Standing findings per officer as of `asOf`: case id → when recorded and the clauses proven. */
export function standingFindings(steps: readonly FindingStep[], asOf: string): Map<string, Map<string, { recordedAt: string; clauses: string[] }>> {
  const end = Date.parse(asOf);
  const byOfficer = new Map<string, Map<string, { recordedAt: string; clauses: string[] }>>();
  const ordered = steps.filter((step) => Date.parse(step.at) <= end).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const step of ordered) {
    const findings = byOfficer.get(step.serviceNumber) ?? new Map<string, { recordedAt: string; clauses: string[] }>();
    byOfficer.set(step.serviceNumber, findings);
    const substantiated = step.type === 'FindingRecorded' && step.detail.outcome === 'substantiated';
    if (substantiated) findings.set(step.caseId, { recordedAt: step.at, clauses: step.detail.clauses ?? [] });
    // Any other finding replaces the case's; an appeal upheld sets it aside; a reopening supersedes it.
    else if (step.type !== 'AppealDecided' || step.detail.outcome === 'upheld') findings.delete(step.caseId);
  }
  return byOfficer;
}

/** Answers the what-if; writes nothing, reads only what it is given. */
export function earlyInterventionWhatIf(
  steps: readonly FindingStep[],
  flags: readonly RaisedFlag[],
  threshold: WhatIfThreshold,
  asOf: string,
): WhatIfAnswer {
  const end = Date.parse(asOf);
  const start = end - threshold.withinDays * MILLIS_PER_DAY;
  const counts = (clauses: string[]): boolean => !threshold.clauses || clauses.some((clause) => threshold.clauses!.includes(clause));
  const raisedBy = flags.filter((flag) => Date.parse(flag.raisedAt) <= end);
  const flaggedBefore = new Set(raisedBy.map((flag) => flag.serviceNumber));

  const flagged: WhatIfAnswer['flagged'] = [];
  for (const [serviceNumber, findings] of standingFindings(steps, asOf)) {
    const inWindow = [...findings.entries()]
      .filter(([, finding]) => Date.parse(finding.recordedAt) > start && counts(finding.clauses))
      .sort(([, a], [, b]) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt));
    if (inWindow.length >= threshold.substantiatedFindings)
      flagged.push({ serviceNumber, caseIds: inWindow.map(([caseId]) => caseId), alreadyFlagged: flaggedBefore.has(serviceNumber) });
  }
  flagged.sort((a, b) => b.caseIds.length - a.caseIds.length || a.serviceNumber.localeCompare(b.serviceNumber));
  const wouldFlag = new Set(flagged.map((officer) => officer.serviceNumber));
  return {
    asOf: new Date(end).toISOString(),
    threshold,
    windowStart: new Date(start).toISOString(),
    flagged,
    lapsing: raisedBy.filter((flag) => !wouldFlag.has(flag.serviceNumber)),
  };
}
