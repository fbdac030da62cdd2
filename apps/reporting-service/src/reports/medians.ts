import { ROLLUP_SOURCES, RolledUpDuration, rowsOf } from '../read-models/report-rollups';
import { contributions } from './contributions';
import { ReportRequest, Sql, withFilters } from './report-scope';

/** percentile_cont(0.5) over every row the request counts: the definition (tests and bench:reports compare with it). */
export async function medianOverRows(sql: Sql, request: ReportRequest, { source, seconds, defined }: RolledUpDuration): Promise<number | null> {
  const rows = ROLLUP_SOURCES[source];
  const [row] = await withFilters<{ median: number | null }>(
    sql,
    request.where(rows.row, rows.dates[0]).where(defined),
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ${seconds}) AS median FROM ${rowsOf(rows)} {where}`,
  );
  return row?.median ?? null;
}

/**
 * The median of a duration over the rows a report counts, exactly as `percentile_cont(0.5)` over
 * those rows would give it, without sorting them all. The rollups hold how many rows fall in each
 * bucket of the duration (report-rollups.ts, DURATIONS): summing them says which bucket holds the
 * middle row (or the two middle rows) and how many rows come before it; then only that bucket's
 * rows are read, through the index on (bucket, date counted by, duration), and the one at the
 * rank taken. National over five years, that is a bucket's rows instead of a million.
 */
export async function medianSeconds(sql: Sql, request: ReportRequest, duration: RolledUpDuration): Promise<number | null> {
  const histogram = (await contributions(sql, request, duration.source, [duration.figure])).byKey(duration.figure);
  const buckets = [...histogram].map(([bucket, rows]) => ({ bucket: Number(bucket), rows })).sort((a, b) => a.bucket - b.bucket);
  const total = buckets.reduce((sum, { rows }) => sum + rows, 0);
  if (total === 0) return null;
  // percentile_cont(0.5): between the rows at these ranks (0-based), in the proportion of `position`.
  const position = (total - 1) / 2;
  const [low, high] = [Math.floor(position), Math.ceil(position)];
  const lowValue = await valueAtRank(sql, request, duration, buckets, low);
  const highValue = high === low ? lowValue : await valueAtRank(sql, request, duration, buckets, high);
  return lowValue + (highValue - lowValue) * (position - low);
}

/** The duration of the row at `rank` (0-based, in duration order): read from the bucket that holds it. */
async function valueAtRank(
  sql: Sql,
  request: ReportRequest,
  { source, seconds, defined }: RolledUpDuration,
  buckets: { bucket: number; rows: number }[],
  rank: number,
): Promise<number> {
  let before = 0;
  const holding = buckets.find(({ rows }) => {
    if (rank < before + rows) return true;
    before += rows;
    return false;
  })!;
  const rows = ROLLUP_SOURCES[source];
  const [row] = await withFilters<{ seconds: number }>(
    sql,
    request.where(rows.row, rows.dates[0]).where(defined).where(`duration_bucket(${seconds}) = ?`, holding.bucket),
    `SELECT ${seconds} AS seconds FROM ${rowsOf(rows)} {where} ORDER BY ${seconds} OFFSET $next1 LIMIT 1`,
    [rank - before],
  );
  // The rollups and the rows are read in one snapshot (ReadModelStore), so the bucket holds that many rows.
  if (!row) throw new Error(`the rollups count ${holding.rows} rows in bucket ${holding.bucket} of ${source}, the rows fewer`);
  return Number(row.seconds);
}
