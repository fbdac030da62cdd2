import { CASE_BASES } from '../read-models/report-rollups';
import { contributions } from './contributions';
import { byText } from './figures';
import { ReportRequest, Sql } from './report-scope';

export interface CasesFigures {
  /** Cases reported in the period (or, by the request's basis, whose conduct occurred or became known in it). */
  opened: number;
  /** Cases closed in the period (their latest closure). */
  closed: number;
  /** Cases opened in the period by where they stand now: closed, or the stage of an open case. */
  openedByStatus: { status: string; cases: number }[];
  /** Cases opened and closed in the period by alleged clause (a case alleging two clauses counts under each). */
  byClause: { clause: string; opened: number; closed: number }[];
}

export async function casesFigures(sql: Sql, request: ReportRequest): Promise<CasesFigures> {
  const counted = CASE_BASES[request.basis].figure;
  const tally = await contributions(sql, request, 'cases', [
    counted,
    'cases.closed',
    `${counted}.status`,
    `${counted}.clause`,
    'cases.closed.clause',
  ]);
  const opened = tally.byKey(`${counted}.clause`);
  const closed = tally.byKey('cases.closed.clause');
  const clauses = [...new Set([...opened.keys(), ...closed.keys()])].sort((a, b) => a.localeCompare(b));
  return {
    opened: tally.total(counted),
    closed: tally.total('cases.closed'),
    openedByStatus: [...tally.byKey(`${counted}.status`)].sort(([a], [b]) => byText(a, b)).map(([status, cases]) => ({ status, cases })),
    byClause: clauses.map((clause) => ({ clause, opened: opened.get(clause) ?? 0, closed: closed.get(clause) ?? 0 })),
  };
}
