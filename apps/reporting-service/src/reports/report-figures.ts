import { count, hoursFromSeconds, monthsBetween, ratio } from './figures';
import { ReportRequest, Sql, withFilters } from './report-scope';

/*
 * The figures of each headquarters report, as SQL over the read models of the active generation.
 * Medians are computed in SQL (percentile_cont, over seconds) and shown in hours with one decimal.
 * Rates are shares between 0 and 1 with three decimals, null when there is nothing to divide by.
 */

export interface CasesFigures {
  /** Cases reported in the period. */
  opened: number;
  /** Cases closed in the period (their latest closure). */
  closed: number;
  /** Cases opened in the period by where they stand now: closed, or the stage of an open case. */
  openedByStatus: { status: string; cases: number }[];
  /** Cases opened and closed in the period by alleged clause (a case alleging two clauses counts under each). */
  byClause: { clause: string; opened: number; closed: number }[];
}

export async function casesFigures(sql: Sql, request: ReportRequest): Promise<CasesFigures> {
  const opened = request.where('c', 'c.reported_at');
  const closed = request.where('c', 'c.closed_at').where('c.closed_at IS NOT NULL');
  const [openedCount] = await withFilters<{ n: string }>(sql, opened, `SELECT count(*) AS n FROM cases c {where}`);
  const [closedCount] = await withFilters<{ n: string }>(sql, closed, `SELECT count(*) AS n FROM cases c {where}`);
  const byStatus = await withFilters<{ status: string; n: string }>(
    sql,
    opened,
    `SELECT CASE WHEN c.status = 'closed' THEN 'closed' ELSE c.stage END AS status, count(*) AS n FROM cases c {where} GROUP BY 1 ORDER BY 1`,
  );
  const openedByClause = await withFilters<{ clause: string; n: string }>(
    sql,
    opened,
    `SELECT clause, count(*) AS n FROM cases c CROSS JOIN LATERAL unnest(c.clauses) AS clause {where} GROUP BY clause`,
  );
  const closedByClause = await withFilters<{ clause: string; n: string }>(
    sql,
    closed,
    `SELECT clause, count(*) AS n FROM cases c CROSS JOIN LATERAL unnest(c.clauses) AS clause {where} GROUP BY clause`,
  );
  const clauses = new Map<string, { opened: number; closed: number }>();
  for (const row of openedByClause) clauses.set(row.clause, { opened: count(row.n), closed: 0 });
  for (const row of closedByClause) clauses.set(row.clause, { opened: clauses.get(row.clause)?.opened ?? 0, closed: count(row.n) });
  return {
    opened: count(openedCount?.n),
    closed: count(closedCount?.n),
    openedByStatus: byStatus.map((row) => ({ status: row.status, cases: count(row.n) })),
    byClause: [...clauses].sort(([a], [b]) => a.localeCompare(b)).map(([clause, figures]) => ({ clause, ...figures })),
  };
}

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

export interface ApprovalFigures {
  /** Approval requests made in the period. */
  requested: number;
  /** Of those: decided (granted or rejected). */
  decided: number;
  /** Granted (whatever happened after: published, revoked, expired). */
  granted: number;
  rejected: number;
  /** granted / decided. */
  grantRate: number | null;
  /** Median time from request to decision over decided requests, in hours. */
  medianHoursToDecision: number | null;
  /** Granted requests published through the official account. */
  published: number;
  /** Publication attempts the policy refused (SND-1, SND-5), over these requests. */
  refusedPublicationAttempts: number;
}

/** Requested in the period and what became of them (a cohort by request date). */
export async function approvalFigures(sql: Sql, request: ReportRequest): Promise<ApprovalFigures> {
  // Granted is told from the status: every status after a grant (published, revoked, expired) has a decision time.
  const [row] = await withFilters<{
    requested: string;
    decided: string;
    granted: string;
    rejected: string;
    published: string;
    refused: string | null;
    median_seconds: number | null;
  }>(
    sql,
    request.where('a', 'a.requested_at'),
    `SELECT count(*) AS requested,
            count(*) FILTER (WHERE a.decided_at IS NOT NULL) AS decided,
            count(*) FILTER (WHERE a.decided_at IS NOT NULL AND a.status <> 'rejected') AS granted,
            count(*) FILTER (WHERE a.status = 'rejected') AS rejected,
            count(*) FILTER (WHERE a.published_at IS NOT NULL) AS published,
            sum(a.refused_publications) AS refused,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.decided_at - a.requested_at))
              FILTER (WHERE a.decided_at IS NOT NULL) AS median_seconds
       FROM approvals_report a {where}`,
  );
  const decided = count(row?.decided);
  const granted = count(row?.granted);
  return {
    requested: count(row?.requested),
    decided,
    granted,
    rejected: count(row?.rejected),
    grantRate: ratio(granted, decided),
    medianHoursToDecision: hoursFromSeconds(row?.median_seconds ?? null),
    published: count(row?.published),
    refusedPublicationAttempts: count(row?.refused),
  };
}

export interface SanctionFigures {
  /** Sanctions imposed in the period. */
  imposed: number;
  /** By the sanction imposed: how many, and how many of them were later reduced or set aside on appeal. */
  byType: { sanction: string; severity: string; imposed: number; reducedOnAppeal: number; setAsideOnAppeal: number }[];
  /** What stands today of the sanctions imposed in the period, by type (a reduced one counts as what it was reduced to). */
  standing: { sanction: string; count: number }[];
}

export async function sanctionFigures(sql: Sql, request: ReportRequest): Promise<SanctionFigures> {
  const byType = await withFilters<{ sanction: string; severity: string; imposed: string; reduced: string; set_aside: string }>(
    sql,
    request.where('c', 's.imposed_at'),
    `SELECT s.imposed AS sanction, s.severity, count(*) AS imposed,
            count(*) FILTER (WHERE s.outcome = 'reduced') AS reduced,
            count(*) FILTER (WHERE s.outcome = 'set-aside') AS set_aside
       FROM sanctions s JOIN cases c USING (case_id) {where}
      GROUP BY s.imposed, s.severity ORDER BY s.imposed, s.severity`,
  );
  const standing = await withFilters<{ sanction: string; n: string }>(
    sql,
    request.where('c', 's.imposed_at').where('s.standing IS NOT NULL'),
    `SELECT s.standing AS sanction, count(*) AS n FROM sanctions s JOIN cases c USING (case_id) {where} GROUP BY s.standing ORDER BY s.standing`,
  );
  const types = byType.map((row) => ({
    sanction: row.sanction,
    severity: row.severity,
    imposed: count(row.imposed),
    reducedOnAppeal: count(row.reduced),
    setAsideOnAppeal: count(row.set_aside),
  }));
  return {
    imposed: types.reduce((sum, type) => sum + type.imposed, 0),
    byType: types,
    standing: standing.map((row) => ({ sanction: row.sanction, count: count(row.n) })),
  };
}

export interface OfficerLine {
  serviceNumber: string;
  /** Only for roles allowed to see officers' names; otherwise absent. */
  name?: string;
  /** Cases reported against the officer in the period. */
  cases: number;
  /** Substantiated findings recorded in the period and not set aside on appeal. */
  substantiatedFindings: number;
  /** Early-intervention flags raised in the period. */
  flags: number;
  /** At least two cases, or at least two substantiated findings, in the period. */
  repeatOffender: boolean;
}

export interface OfficerFigures {
  /** Officers who are repeat offenders or were flagged in the period: most cases first. */
  officers: OfficerLine[];
  /** Early-intervention flags raised in the period, newest first. */
  earlyInterventionFlags: { serviceNumber: string; name?: string; raisedAt: string; caseIds: string[] }[];
}

/** Threshold for a repeat offender: two cases, or two substantiated findings, in the period. */
export const REPEAT_OFFENDER_THRESHOLD = 2;

export async function officerFigures(sql: Sql, request: ReportRequest): Promise<OfficerFigures> {
  const cases = await withFilters<{ service_number: string; name: string; n: string }>(
    sql,
    request.where('c', 'c.reported_at'),
    `SELECT c.officer_service_number AS service_number, max(c.officer_name) AS name, count(*) AS n FROM cases c {where} GROUP BY 1`,
  );
  const findings = await withFilters<{ service_number: string; name: string; n: string }>(
    sql,
    request.where('c', 'f.recorded_at').where(`f.outcome = 'substantiated' AND NOT f.set_aside`),
    `SELECT c.officer_service_number AS service_number, max(c.officer_name) AS name, count(*) AS n
       FROM findings f JOIN cases c USING (case_id) {where} GROUP BY 1`,
  );
  // Flags sit on the officer's own stream; the name comes from any case about the officer.
  const flags = await withFilters<{ service_number: string; name: string | null; raised_at: Date; case_ids: string[] }>(
    sql,
    request.where('e', 'e.raised_at'),
    `SELECT e.service_number, (SELECT max(officer_name) FROM cases WHERE officer_service_number = e.service_number) AS name,
            e.raised_at, e.case_ids
       FROM early_intervention_flags e {where} ORDER BY e.raised_at DESC, e.service_number`,
  );
  const officers = new Map<string, OfficerLine>();
  const line = (serviceNumber: string, name: string | null): OfficerLine => {
    const existing = officers.get(serviceNumber);
    if (existing) return existing;
    const created = { serviceNumber, name: name ?? '', cases: 0, substantiatedFindings: 0, flags: 0, repeatOffender: false };
    officers.set(serviceNumber, created);
    return created;
  };
  for (const row of cases) line(row.service_number, row.name).cases = count(row.n);
  for (const row of findings) line(row.service_number, row.name).substantiatedFindings = count(row.n);
  for (const row of flags) line(row.service_number, row.name).flags += 1;
  for (const officer of officers.values()) {
    officer.repeatOffender = officer.cases >= REPEAT_OFFENDER_THRESHOLD || officer.substantiatedFindings >= REPEAT_OFFENDER_THRESHOLD;
  }
  return {
    officers: [...officers.values()]
      .filter((officer) => officer.repeatOffender || officer.flags > 0)
      .sort((a, b) => b.cases - a.cases || b.substantiatedFindings - a.substantiatedFindings || a.serviceNumber.localeCompare(b.serviceNumber)),
    earlyInterventionFlags: flags.map((row) => ({
      serviceNumber: row.service_number,
      name: row.name ?? '',
      raisedAt: row.raised_at.toISOString(),
      caseIds: row.case_ids,
    })),
  };
}

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
