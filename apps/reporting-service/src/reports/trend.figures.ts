import { CASE_BASES } from '../read-models/report-rollups';
import { contributions } from './contributions';
import { monthsBetween, ratio } from './figures';
import { ReportRequest, Sql } from './report-scope';
import { pendingNotices } from './takedowns.figures';

export interface TrendMonth {
  /** `YYYY-MM`, UTC. */
  month: string;
  opened: number;
  closed: number;
  takedownsServed: number;
  takedownsRemovedWithinDeadline: number;
  /** As in the takedown report, over the notices served that month. */
  takedownComplianceRate: number | null;
  approvalsRequested: number;
  /** Grants decided that month. */
  approvalsGranted: number;
  sanctionsImposed: number;
}

/** Month by month, each figure by its own business date; every month between the first and the last with any figure. */
export async function trendFigures(sql: Sql, request: ReportRequest): Promise<{ months: TrendMonth[] }> {
  // Rows without the date (a case not closed, a request not decided) are in no month.
  // Cases opened by the request's basis (when recorded, occurred or became known); closed when they closed.
  const counted = CASE_BASES[request.basis].figure;
  const cases = await contributions(sql, request, 'cases', [counted, 'cases.closed']);
  const sanctions = await contributions(sql, request, 'sanctions', ['sanctions.imposed']);
  const approvals = await contributions(sql, request, 'approvals', ['approvals.requested', 'approvals.granted-when-decided']);
  const takedowns = await contributions(sql, request, 'takedowns', ['takedowns.served', 'takedowns.within']);
  const series = {
    opened: cases.byMonth(counted),
    closed: cases.byMonth('cases.closed'),
    sanctions: sanctions.byMonth('sanctions.imposed'),
    requested: approvals.byMonth('approvals.requested'),
    granted: approvals.byMonth('approvals.granted-when-decided'),
    served: takedowns.byMonth('takedowns.served'),
    within: takedowns.byMonth('takedowns.within'),
  };
  const pending = await pendingNotices(sql, request);
  const seen = Object.values(series)
    .flatMap((map) => [...map.keys()])
    .sort();
  const first = seen[0];
  const last = seen[seen.length - 1];
  if (first === undefined || last === undefined) return { months: [] };
  return {
    months: monthsBetween(first, last).map((month) => {
      const served = series.served.get(month) ?? 0;
      const within = series.within.get(month) ?? 0;
      return {
        month,
        opened: series.opened.get(month) ?? 0,
        closed: series.closed.get(month) ?? 0,
        takedownsServed: served,
        takedownsRemovedWithinDeadline: within,
        takedownComplianceRate: ratio(within, served - (pending.get(month) ?? 0)),
        approvalsRequested: series.requested.get(month) ?? 0,
        approvalsGranted: series.granted.get(month) ?? 0,
        sanctionsImposed: series.sanctions.get(month) ?? 0,
      };
    }),
  };
}
