import { DURATIONS } from '../read-models/report-rollups';
import { contributions } from './contributions';
import { count, hoursFromSeconds, monthOf, ratio } from './figures';
import { medianSeconds } from './medians';
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
  const tally = await contributions(sql, request, 'takedowns', ['takedowns.served', 'takedowns.removed', 'takedowns.within', 'takedowns.late']);
  const served = tally.total('takedowns.served');
  const removedWithinDeadline = tally.total('takedowns.within');
  const pending = total(await pendingNotices(sql, request));
  return {
    served,
    removedWithinDeadline,
    removedLate: tally.total('takedowns.late'),
    overdueNow: served - tally.total('takedowns.removed') - pending,
    pending,
    complianceRate: ratio(removedWithinDeadline, served - pending),
    medianHoursToRemoval: hoursFromSeconds(await medianSeconds(sql, request, DURATIONS.removal)),
  };
}

/**
 * Notices served in the period, not removed and not yet due, by the month they were served: what
 * depends on "now" cannot be rolled up, but only the notices of the last days are still due.
 */
export async function pendingNotices(sql: Sql, request: ReportRequest): Promise<Map<string, number>> {
  const rows = await withFilters<{ month: string; n: string }>(
    sql,
    request.where('t', 't.served_at').where('t.removed_at IS NULL').where('t.due_at > ?', request.now),
    `SELECT ${monthOf('t.served_at')} AS month, count(*) AS n FROM takedown_notices t {where} GROUP BY 1`,
  );
  return new Map(rows.map((row) => [row.month, count(row.n)]));
}

const total = (byMonth: Map<string, number>) => [...byMonth.values()].reduce((sum, n) => sum + n, 0);
