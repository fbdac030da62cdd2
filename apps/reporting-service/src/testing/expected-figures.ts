import { becameKnownAtOf, observedAtOf, Place, ReportScenario, ScenarioCase } from './report-scenario';

/*
 * The report figures a scenario should produce, worked out directly from its plain objects —
 * deliberately without SQL or any read-model code, so a test comparing the two checks the
 * projections and the report queries against an independent reading of the same facts.
 */

export interface Selection {
  place?: Partial<Place>;
  /** Inclusive. */
  from?: string;
  /** Exclusive. */
  to?: string;
  /** What cases are counted by in the cases and trend reports; reported by default. */
  basis?: 'reported' | 'observed' | 'known';
}

/** The date a case is counted by, on the selection's basis. */
const countedAt = (c: ScenarioCase, { basis = 'reported' }: Selection): string =>
  basis === 'observed' ? observedAtOf(c) : basis === 'known' ? becameKnownAtOf(c) : c.reportedAt;

const t = (iso: string) => Date.parse(iso);
const inPlace = (place: Place, wanted: Partial<Place> = {}) =>
  (Object.keys(wanted) as (keyof Place)[]).every((level) => wanted[level] === undefined || wanted[level] === place[level]);
const inPeriod = (at: string | undefined, { from, to }: Selection): at is string =>
  at !== undefined && (from === undefined || t(at) >= t(from)) && (to === undefined || t(at) < t(to));
const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const share = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 3));
const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const hoursBetween = (from: string, to: string) => (t(to) - t(from)) / 3_600_000;
const tally = (keys: string[]) => {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
};

/** Closed now: closed and not reopened since. */
const closedAt = (c: ScenarioCase) => (c.closedAt && !(c.reopenedAt && t(c.reopenedAt) > t(c.closedAt)) ? c.closedAt : undefined);
const findingSetAside = (c: ScenarioCase) => c.appeal?.outcome === 'upheld';
function statusOf(c: ScenarioCase): string {
  if (closedAt(c)) return 'closed';
  if (c.reopenedAt) return 'investigating';
  if (c.appeal?.outcome === 'upheld') return 'set-aside';
  if (c.sanction) return 'sanctioned';
  if (c.finding) return 'found';
  return 'investigating';
}
const standingSanction = (c: ScenarioCase): string | null => {
  if (!c.sanction || c.appeal?.outcome === 'upheld') return null;
  return c.appeal?.outcome === 'sanction-reduced' ? c.appeal.reducedTo : c.sanction.sanction;
};

export function expectedCases(scenario: ReportScenario, selection: Selection) {
  const placed = scenario.cases.filter((c) => inPlace(c.place, selection.place));
  const opened = placed.filter((c) => inPeriod(countedAt(c, selection), selection));
  const closed = placed.filter((c) => inPeriod(closedAt(c), selection));
  const clauses = [...new Set([...opened, ...closed].flatMap((c) => c.clauses))].sort();
  return {
    opened: opened.length,
    closed: closed.length,
    openedByStatus: tally(opened.map(statusOf)).map(([status, cases]) => ({ status, cases })),
    byClause: clauses.map((clause) => ({
      clause,
      opened: opened.filter((c) => c.clauses.includes(clause)).length,
      closed: closed.filter((c) => c.clauses.includes(clause)).length,
    })),
  };
}

function noticesOf(scenario: ReportScenario, selection: Selection) {
  return scenario.cases
    .filter((c) => inPlace(c.place, selection.place))
    .flatMap((c) => (c.takedown && inPeriod(c.takedown.servedAt, selection) ? [c.takedown] : []));
}

export function expectedTakedowns(scenario: ReportScenario, selection: Selection) {
  const now = t(scenario.now);
  const notices = noticesOf(scenario, selection);
  const within = notices.filter((n) => n.removedAt && t(n.removedAt) <= t(n.dueAt)).length;
  const late = notices.filter((n) => n.removedAt && t(n.removedAt) > t(n.dueAt)).length;
  const overdue = notices.filter((n) => !n.removedAt && t(n.dueAt) <= now).length;
  const pending = notices.filter((n) => !n.removedAt && t(n.dueAt) > now).length;
  const toRemoval = median(notices.flatMap((n) => (n.removedAt ? [hoursBetween(n.servedAt, n.removedAt)] : [])));
  return {
    served: notices.length,
    removedWithinDeadline: within,
    removedLate: late,
    overdueNow: overdue,
    pending,
    complianceRate: share(within, within + late + overdue),
    medianHoursToRemoval: toRemoval === null ? null : round(toRemoval, 1),
  };
}

export function expectedApprovals(scenario: ReportScenario, selection: Selection) {
  const requested = scenario.approvals.filter((a) => inPlace(a.place, selection.place) && inPeriod(a.requestedAt, selection));
  const decided = requested.filter((a) => a.decision);
  const granted = decided.filter((a) => a.decision?.outcome === 'granted');
  const toDecision = median(decided.map((a) => hoursBetween(a.requestedAt, a.decision!.decidedAt)));
  return {
    requested: requested.length,
    decided: decided.length,
    granted: granted.length,
    rejected: decided.length - granted.length,
    grantRate: share(granted.length, decided.length),
    medianHoursToDecision: toDecision === null ? null : round(toDecision, 1),
    published: requested.filter((a) => a.publishedAt).length,
    refusedPublicationAttempts: requested.reduce((sum, a) => sum + (a.refusedAt?.length ?? 0), 0),
  };
}

export function expectedSanctions(scenario: ReportScenario, selection: Selection) {
  const sanctioned = scenario.cases.filter((c) => c.sanction && inPlace(c.place, selection.place) && inPeriod(c.sanction.imposedAt, selection));
  const types = [...new Set(sanctioned.map((c) => c.sanction!.sanction))].sort();
  return {
    imposed: sanctioned.length,
    byType: types.map((sanction) => {
      const ofType = sanctioned.filter((c) => c.sanction!.sanction === sanction);
      return {
        sanction,
        severity: ofType[0]!.sanction!.severity,
        imposed: ofType.length,
        reducedOnAppeal: ofType.filter((c) => c.appeal?.outcome === 'sanction-reduced').length,
        setAsideOnAppeal: ofType.filter((c) => c.appeal?.outcome === 'upheld').length,
      };
    }),
    standing: tally(sanctioned.flatMap((c) => standingSanction(c) ?? [])).map(([sanction, count]) => ({ sanction, count })),
  };
}

export function expectedOfficers(scenario: ReportScenario, selection: Selection, withNames: boolean) {
  const placed = scenario.cases.filter((c) => inPlace(c.place, selection.place));
  const flags = scenario.flags.filter((f) => inPlace(f.place, selection.place) && inPeriod(f.raisedAt, selection));
  const nameOf = (serviceNumber: string) => scenario.cases.find((c) => c.officer.serviceNumber === serviceNumber)?.officer.name ?? '';
  const officers = [...new Set([...placed.map((c) => c.officer.serviceNumber), ...flags.map((f) => f.serviceNumber)])].map((serviceNumber) => {
    const theirs = placed.filter((c) => c.officer.serviceNumber === serviceNumber);
    const cases = theirs.filter((c) => inPeriod(c.reportedAt, selection)).length;
    const substantiatedFindings = theirs.filter(
      (c) => c.finding?.outcome === 'substantiated' && !findingSetAside(c) && inPeriod(c.finding.recordedAt, selection),
    ).length;
    return {
      serviceNumber,
      ...(withNames ? { name: nameOf(serviceNumber) } : {}),
      cases,
      substantiatedFindings,
      flags: flags.filter((f) => f.serviceNumber === serviceNumber).length,
      repeatOffender: cases >= 2 || substantiatedFindings >= 2,
    };
  });
  return {
    officers: officers
      .filter((o) => o.repeatOffender || o.flags > 0)
      .sort((a, b) => b.cases - a.cases || b.substantiatedFindings - a.substantiatedFindings || a.serviceNumber.localeCompare(b.serviceNumber)),
    earlyInterventionFlags: [...flags]
      .sort((a, b) => t(b.raisedAt) - t(a.raisedAt))
      .map((f) => ({
        serviceNumber: f.serviceNumber,
        ...(withNames ? { name: nameOf(f.serviceNumber) } : {}),
        raisedAt: f.raisedAt,
        caseIds: f.caseIds,
      })),
  };
}

export function expectedTrend(scenario: ReportScenario, selection: Selection) {
  const month = (iso: string) => iso.slice(0, 7);
  const placedCases = scenario.cases.filter((c) => inPlace(c.place, selection.place));
  const placedApprovals = scenario.approvals.filter((a) => inPlace(a.place, selection.place));
  const dated = {
    opened: placedCases.map((c) => countedAt(c, selection)),
    closed: placedCases.flatMap((c) => closedAt(c) ?? []),
    sanctions: placedCases.flatMap((c) => c.sanction?.imposedAt ?? []),
    requested: placedApprovals.map((a) => a.requestedAt),
    granted: placedApprovals.flatMap((a) => (a.decision?.outcome === 'granted' ? [a.decision.decidedAt] : [])),
    served: placedCases.flatMap((c) => c.takedown?.servedAt ?? []),
  };
  const kept = Object.fromEntries(
    Object.entries(dated).map(([series, dates]) => [series, dates.filter((at) => inPeriod(at, selection)).map(month)]),
  ) as Record<keyof typeof dated, string[]>;
  const all = Object.values(kept).flat().sort();
  if (all.length === 0) return { months: [] };
  const months: string[] = [];
  for (let m = all[0]!; m <= all[all.length - 1]!;) {
    months.push(m);
    const [year, mon] = m.split('-').map(Number) as [number, number];
    m = mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
  }
  const countIn = (series: string[], m: string) => series.filter((x) => x === m).length;
  return {
    months: months.map((m) => {
      // The month, within the period asked for (its first and last month may be partial).
      const monthStart = `${m}-01T00:00:00.000Z`;
      const monthEnd = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 1)).toISOString();
      const monthSelection = {
        place: selection.place,
        from: selection.from !== undefined && t(selection.from) > t(monthStart) ? selection.from : monthStart,
        to: selection.to !== undefined && t(selection.to) < t(monthEnd) ? selection.to : monthEnd,
      };
      const takedowns = expectedTakedowns(scenario, monthSelection);
      return {
        month: m,
        opened: countIn(kept.opened, m),
        closed: countIn(kept.closed, m),
        takedownsServed: countIn(kept.served, m),
        takedownsRemovedWithinDeadline: takedowns.removedWithinDeadline,
        takedownComplianceRate: takedowns.complianceRate,
        approvalsRequested: countIn(kept.requested, m),
        approvalsGranted: countIn(kept.granted, m),
        sanctionsImposed: countIn(kept.sanctions, m),
      };
    }),
  };
}
