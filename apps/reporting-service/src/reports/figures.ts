/**
 * Pure helpers that turn counts and durations from SQL into the figures reports show. Each report's
 * figures are SQL over the read models of the active generation, one file per report
 * (`<report>.figures.ts`). Medians are exact, as percentile_cont over the rows' seconds would give
 * them (found through the rollups' histograms: medians.ts), and shown in hours with one decimal. Rates are shares between 0 and 1 with three decimals, null when there is
 * nothing to divide by.
 */

/** `part / whole` rounded to 3 decimals; null when nothing was counted (no rate, rather than 0). */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;
}

/** Seconds as hours with one decimal; null stays null (no median without data). */
export function hoursFromSeconds(seconds: number | string | null): number | null {
  if (seconds === null) return null;
  return Math.round((Number(seconds) / 3600) * 10) / 10;
}

/** Every month from `first` to `last` inclusive, as `YYYY-MM` (UTC), so a trend has no gaps. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  const [lastYear, lastMonth] = last.split('-').map(Number) as [number, number];
  let [year, month] = first.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** A `count(*)` from pg (bigint arrives as text) as a number. */
export const count = (value: string | number | null | undefined): number => Number(value ?? 0);

/** Code-point order, as PostgreSQL's C collation sorts: the same for every locale. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** SQL: the UTC month of a timestamp column, as `YYYY-MM`. */
export const monthOf = (column: string): string => `to_char(date_trunc('month', ${column} AT TIME ZONE 'UTC'), 'YYYY-MM')`;
