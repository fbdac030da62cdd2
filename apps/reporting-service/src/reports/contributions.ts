import { ROLLUP_SOURCES, RollupSource, RollupSourceName } from '../read-models/report-rollups';
import { ReportRequest, Sql, withFilters } from './report-scope';
import { monthOf } from './figures';

/** A half-open span of time; an absent end is open. */
export interface Span {
  from?: Date;
  to?: Date;
}

/**
 * How a report's period is counted: the whole months inside it from the rollups (`months`,
 * first day of the first month and of the month after the last, as `YYYY-MM-DD`; an absent end is
 * open), the rest (`edges`: the partial first and last month) from the rows.
 */
export interface PeriodSplit {
  months?: { from?: string; to?: string };
  edges: Span[];
}

const monthStart = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
const nextMonthStart = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
const day = (at: Date) => at.toISOString().slice(0, 10);

export function splitPeriod({ from, to }: Span): PeriodSplit {
  const firstWhole = from && (monthStart(from).getTime() === from.getTime() ? from : nextMonthStart(from));
  const afterWhole = to && monthStart(to);
  if (firstWhole && afterWhole && firstWhole >= afterWhole) return { edges: [{ from, to }] };
  const edges: Span[] = [];
  if (from && firstWhole && from < firstWhole) edges.push({ from, to: firstWhole });
  if (to && afterWhole && afterWhole < to) edges.push({ from: afterWhole, to });
  return { months: { ...(firstWhole ? { from: day(firstWhole) } : {}), ...(afterWhole ? { to: day(afterWhole) } : {}) }, edges };
}

/** One counted figure: `month` is `YYYY-MM` (UTC). */
export interface Contribution {
  month: string;
  figure: string;
  key: string;
  n: number;
}

/**
 * What the rows of `source` in the request's places and period contribute to `figures`, by month:
 * the whole months from the rollups (folded and not yet folded changes), the partial ones from the
 * rows through the same contributions function. A unit is below the rollups' grain, so a report
 * for a unit (asked, or the caller's scope) counts from the rows alone: a unit's rows are few.
 */
export async function contributions(sql: Sql, request: ReportRequest, source: RollupSourceName, figures: string[]): Promise<Tally> {
  const period = { from: dateOf(request.filters.from), to: dateOf(request.filters.to) };
  const byUnit = request.scope.unit !== undefined || request.filters.unitId !== undefined;
  const split = byUnit ? { edges: [period] } : splitPeriod(period);
  const rows: { month: string; figure: string; key: string; n: string }[] = [];
  if (split.months) {
    const filters = request
      .where('r')
      .where('r.figure = ANY(?)', figures)
      .compare('r.month', '>=', split.months.from)
      .compare('r.month', '<', split.months.to);
    rows.push(
      ...(await withFilters<(typeof rows)[number]>(
        sql,
        filters,
        `SELECT to_char(r.month, 'YYYY-MM') AS month, r.figure, r.key, sum(r.n) AS n
           FROM (SELECT * FROM report_rollups UNION ALL SELECT * FROM report_rollup_changes) AS r
           {where} GROUP BY 1, 2, 3`,
      )),
    );
  }
  for (const edge of split.edges) rows.push(...(await fromRows(sql, request, ROLLUP_SOURCES[source], figures, edge)));
  return new Tally(rows.map((row) => ({ month: row.month, figure: row.figure, key: row.key, n: Number(row.n) })));
}

function fromRows(sql: Sql, request: ReportRequest, source: RollupSource, figures: string[], { from, to }: Span) {
  const filters = request.where(source.place).where('x.figure = ANY(?)', figures).compare('x.at', '>=', from).compare('x.at', '<', to);
  // The same bounds on the date columns themselves, so their indexes find the rows.
  const bounded = (column: string) => [from && `${column} >= ?`, to && `${column} < ?`].filter(Boolean).join(' AND ');
  if (from || to) {
    const bounds = [from, to].filter((bound) => bound !== undefined);
    filters.where(source.dates.map((column) => `(${bounded(column)})`).join(' OR '), ...source.dates.flatMap(() => bounds));
  }
  return withFilters<{ month: string; figure: string; key: string; n: string }>(
    sql,
    filters,
    `SELECT ${monthOf('x.at')} AS month, x.figure, x.key, sum(x.n) AS n
       FROM ${source.from} CROSS JOIN LATERAL ${source.contributions}(${source.row}) AS x
       {where} GROUP BY 1, 2, 3`,
  );
}

const dateOf = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

/** Contributions summed the ways reports need them; figures that sum to zero are absent, as a count over rows would have none. */
export class Tally {
  constructor(private readonly rows: Contribution[]) {}

  total(figure: string): number {
    return this.rows.reduce((sum, row) => (row.figure === figure ? sum + row.n : sum), 0);
  }

  byKey(figure: string): Map<string, number> {
    return this.sum(figure, (row) => row.key);
  }

  byMonth(figure: string): Map<string, number> {
    return this.sum(figure, (row) => row.month);
  }

  private sum(figure: string, keyOf: (row: Contribution) => string): Map<string, number> {
    const sums = new Map<string, number>();
    for (const row of this.rows) if (row.figure === figure) sums.set(keyOf(row), (sums.get(keyOf(row)) ?? 0) + row.n);
    for (const [key, n] of sums) if (n === 0) sums.delete(key);
    return sums;
  }
}
