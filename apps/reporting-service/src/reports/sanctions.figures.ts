import { count } from './figures';
import { ReportRequest, Sql, withFilters } from './report-scope';

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
