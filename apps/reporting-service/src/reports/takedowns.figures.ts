import { count, hoursFromSeconds, ratio } from './figures';
import { ReportRequest, Sql, withFilters } from './report-scope';

export interface TakedownFigures {
  /** Takedown notices served in the period. */
  served: number;
  /** Of those: content removed by the due time. */
  removedWithinDeadline: number;
  /** Removed, but after the due time. */
  removedLate: number;
  /** Not removed and past the due time now. */
  overdueNow: number;
  /** Not removed, not yet due. */
  pending: number;
  /** removedWithinDeadline / (served − pending): the share of notices whose deadline has come that were met. */
  complianceRate: number | null;
  /** Median time from service to removal over removed notices, in hours. */
  medianHoursToRemoval: number | null;
}

export async function takedownFigures(sql: Sql, request: ReportRequest): Promise<TakedownFigures> {
  const [row] = await withFilters<{ served: string; within: string; late: string; overdue: string; pending: string; median_seconds: number | null }>(
    sql,
    request.where('c', 't.served_at'),
    `SELECT count(*) AS served,
            count(*) FILTER (WHERE t.removed_at IS NOT NULL AND t.within_deadline) AS within,
            count(*) FILTER (WHERE t.removed_at IS NOT NULL AND NOT t.within_deadline) AS late,
            count(*) FILTER (WHERE t.removed_at IS NULL AND t.due_at <= $next1) AS overdue,
            count(*) FILTER (WHERE t.removed_at IS NULL AND t.due_at > $next1) AS pending,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.removed_at - t.served_at))
              FILTER (WHERE t.removed_at IS NOT NULL) AS median_seconds
       FROM takedown_notices t JOIN cases c USING (case_id) {where}`,
    [request.now],
  );
  const served = count(row?.served);
  const pending = count(row?.pending);
  const removedWithinDeadline = count(row?.within);
  return {
    served,
    removedWithinDeadline,
    removedLate: count(row?.late),
    overdueNow: count(row?.overdue),
    pending,
    complianceRate: ratio(removedWithinDeadline, served - pending),
    medianHoursToRemoval: hoursFromSeconds(row?.median_seconds ?? null),
  };
}
