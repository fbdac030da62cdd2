import { count } from './figures';
import { ReportRequest, Sql, withFilters } from './report-scope';

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
