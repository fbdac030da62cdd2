import { ROLLUP_SOURCES, RollupSource, RollupSourceName, rowsOf } from '../read-models/report-rollups';
import { ReportRequest, Sql, withFilters } from './report-scope';
import { monthOf } from './figures';

/** A half-open span of time; an absent end is open. */
export interface Span {
  from?: Date;
  to?: Date;
}

/** A span counted from the rows: added to what the rollups give (1), or taken off a whole month they give (-1). */
export interface Edge extends Span {
  sign: 1 | -1;
}

/**
 * How a report's period is counted: the whole months inside it from the rollups (`months`,
 * first day of the first month and of the month after the last, as `YYYY-MM-DD`; an absent end is
 * open), the rest (`edges`) from the rows. A partial first or last month is counted the shorter
 * way: its own part from the rows, or, when that is more than half the month, the whole month from
 * the rollups less the rest of it from the rows (a report to the end of yesterday reads a day of
 * rows, not a month of them).
 */
export interface PeriodSplit {
  months?: { from?: string; to?: string };
  edges: Edge[];
}

const monthStart = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
const nextMonthStart = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
const day = (at: Date) => at.toISOString().slice(0, 10);

export function splitPeriod({ from, to }: Span): PeriodSplit {
  const edges: Edge[] = [];
  /** Counts a part of one month the shorter way; answers whether the month is then counted whole. */
  const partOfMonth = (part: { from: Date; to: Date }): boolean => {
    const start = monthStart(part.from);
    const end = nextMonthStart(start);
    if ((part.to.getTime() - part.from.getTime()) * 2 <= end.getTime() - start.getTime()) {
      edges.push({ ...part, sign: 1 });
      return false;
    }
    if (start < part.from) edges.push({ from: start, to: part.from, sign: -1 });
    if (part.to < end) edges.push({ from: part.to, to: end, sign: -1 });
    return true;
  };
  const firstWhole = from && (monthStart(from).getTime() === from.getTime() ? from : nextMonthStart(from));
  const afterWhole = to && monthStart(to);
  // Both ends inside one month.
  if (from && to && firstWhole! > afterWhole!) {
    return partOfMonth({ from, to }) ? { months: { from: day(monthStart(from)), to: day(nextMonthStart(from)) }, edges } : { edges };
  }
  let monthsFrom = firstWhole;
  let monthsTo = afterWhole;
  if (from && firstWhole && from < firstWhole && partOfMonth({ from, to: firstWhole })) monthsFrom = monthStart(from);
  if (to && afterWhole && afterWhole < to && partOfMonth({ from: afterWhole, to })) monthsTo = nextMonthStart(to);
  // No month counted whole: the period from the rows, in one go.
  if (monthsFrom && monthsTo && monthsFrom >= monthsTo) return { edges: [{ from, to, sign: 1 }] };
  return { months: { ...(monthsFrom ? { from: day(monthsFrom) } : {}), ...(monthsTo ? { to: day(monthsTo) } : {}) }, edges };
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
  const split: PeriodSplit = byUnit ? { edges: [{ ...period, sign: 1 }] } : splitPeriod(period);
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
  const counted = rows.map((row) => ({ month: row.month, figure: row.figure, key: row.key, n: Number(row.n) }));
  for (const edge of split.edges) {
    for (const row of await fromRows(sql, request, ROLLUP_SOURCES[source], figures, edge))
      counted.push({ month: row.month, figure: row.figure, key: row.key, n: edge.sign * Number(row.n) });
  }
  return new Tally(counted);
}

function fromRows(sql: Sql, request: ReportRequest, source: RollupSource, figures: string[], { from, to }: Span) {
  const filters = request.where(source.row).where('x.figure = ANY(?)', figures).compare('x.at', '>=', from).compare('x.at', '<', to);
  // The same bounds on the date columns themselves, so their indexes find the rows.
  const bounded = (column: string) => [from && `${column} >= ?`, to && `${column} < ?`].filter(Boolean).join(' AND ');
  if (from || to) {
    const bounds = [from, to].filter((bound) => bound !== undefined);
    const columns = datesOf(source, figures);
    filters.where(columns.map((column) => `(${bounded(column)})`).join(' OR '), ...columns.flatMap(() => bounds));
  }
  return withFilters<{ month: string; figure: string; key: string; n: string }>(
    sql,
    filters,
    `SELECT ${monthOf('x.at')} AS month, x.figure, x.key, sum(x.n) AS n
       FROM ${rowsOf(source)} CROSS JOIN LATERAL ${source.contributions}(${source.row}) AS x
       {where} GROUP BY 1, 2, 3`,
  );
}

/** The date columns that can date these figures: all of the source's, unless it says which date which. */
export function datesOf(source: RollupSource, figures: string[]): string[] {
  const { datedBy } = source;
  if (!datedBy) return source.dates;
  const columnOf = (figure: string) => Object.entries(datedBy).find(([prefix]) => figure === prefix || figure.startsWith(`${prefix}.`))?.[1];
  const columns = figures.map(columnOf);
  // A figure the map does not date could be dated by any column.
  return columns.includes(undefined) ? source.dates : [...new Set(columns as string[])];
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
