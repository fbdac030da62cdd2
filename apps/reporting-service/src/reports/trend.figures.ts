import { count, monthsBetween, ratio } from './figures';
import { ReportRequest, Sql, withFilters } from './report-scope';

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

const MONTH = (column: string) => `to_char(date_trunc('month', ${column} AT TIME ZONE 'UTC'), 'YYYY-MM')`;

/** Month by month, each figure by its own business date; every month between the first and the last with any figure. */
export async function trendFigures(sql: Sql, request: ReportRequest): Promise<{ months: TrendMonth[] }> {
  type Counted = { month: string; n: string };
  // Rows without the date (a case not closed, a request not decided) are in no month.
  const dated = (alias: string, dateColumn: string) => request.where(alias, dateColumn).where(`${dateColumn} IS NOT NULL`);
  const monthly = async (alias: string, table: string, dateColumn: string) =>
    withFilters<Counted>(sql, dated(alias, dateColumn), `SELECT ${MONTH(dateColumn)} AS month, count(*) AS n FROM ${table} {where} GROUP BY 1`);
  const opened = await monthly('c', 'cases c', 'c.reported_at');
  const closed = await monthly('c', 'cases c', 'c.closed_at');
  const sanctions = await monthly('c', 'sanctions s JOIN cases c USING (case_id)', 's.imposed_at');
  const requested = await monthly('a', 'approvals_report a', 'a.requested_at');
  const granted = await withFilters<Counted>(
    sql,
    dated('a', 'a.decided_at').where(`a.status <> 'rejected'`),
    `SELECT ${MONTH('a.decided_at')} AS month, count(*) AS n FROM approvals_report a {where} GROUP BY 1`,
  );
  const takedowns = await withFilters<{ month: string; served: string; within: string; pending: string }>(
    sql,
    request.where('c', 't.served_at'),
    `SELECT ${MONTH('t.served_at')} AS month, count(*) AS served,
            count(*) FILTER (WHERE t.removed_at IS NOT NULL AND t.within_deadline) AS within,
            count(*) FILTER (WHERE t.removed_at IS NULL AND t.due_at > $next1) AS pending
       FROM takedown_notices t JOIN cases c USING (case_id) {where} GROUP BY 1`,
    [request.now],
  );
  const byMonth = (rows: Counted[]) => new Map(rows.map((row) => [row.month, count(row.n)]));
  const series = {
    opened: byMonth(opened),
    closed: byMonth(closed),
    sanctions: byMonth(sanctions),
    requested: byMonth(requested),
    granted: byMonth(granted),
  };
  const notices = new Map(takedowns.map((row) => [row.month, row]));
  const seen = [...Object.values(series).flatMap((map) => [...map.keys()]), ...notices.keys()].sort();
  const first = seen[0];
  const last = seen[seen.length - 1];
  if (first === undefined || last === undefined) return { months: [] };
  return {
    months: monthsBetween(first, last).map((month) => {
      const notice = notices.get(month);
      const served = count(notice?.served);
      const within = count(notice?.within);
      return {
        month,
        opened: series.opened.get(month) ?? 0,
        closed: series.closed.get(month) ?? 0,
        takedownsServed: served,
        takedownsRemovedWithinDeadline: within,
        takedownComplianceRate: ratio(within, served - count(notice?.pending)),
        approvalsRequested: series.requested.get(month) ?? 0,
        approvalsGranted: series.granted.get(month) ?? 0,
        sanctionsImposed: series.sanctions.get(month) ?? 0,
      };
    }),
  };
}
