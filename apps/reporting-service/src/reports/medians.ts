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
  const lowBucket = holding(buckets, low);
  const highBucket = holding(buckets, high);
  const [lowValue, highValue] = (
    lowBucket.bucket === highBucket.bucket
      ? await valuesAtRanks(sql, request, duration, lowBucket, [low, high])
      : [...(await valuesAtRanks(sql, request, duration, lowBucket, [low])), ...(await valuesAtRanks(sql, request, duration, highBucket, [high]))]
  ) as [number, number];
  return lowValue + (highValue - lowValue) * (position - low);
}

interface Bucket {
  bucket: number;
  rows: number;
  /** Rows in the buckets before it. */
  before: number;
}

/** The bucket that holds the row at `rank` (0-based, in duration order). */
function holding(buckets: readonly { bucket: number; rows: number }[], rank: number): Bucket {
  let before = 0;
  for (const { bucket, rows } of buckets) {
    if (rank < before + rows) return { bucket, rows, before };
    before += rows;
  }
  throw new Error(`rank ${rank} is past the ${before} rows of the histogram`);
}

/**
 * The durations of the rows at `ranks`, all in `bucket`: its rows counted by distinct duration,
 * in order, each value answering the ranks its running count passes. Durations tie often (whole
 * hours, whole days): counting the ties reads the bucket once and sorts its distinct values only,
 * where taking a row at an offset sorted every row of it, once per rank.
 */
async function valuesAtRanks(
  sql: Sql,
  request: ReportRequest,
  { source, seconds, defined }: RolledUpDuration,
  bucket: Bucket,
  ranks: readonly number[],
): Promise<number[]> {
  const rows = ROLLUP_SOURCES[source];
  const within = ranks.map((rank) => rank - bucket.before);
  const [row] = await withFilters<{ values: (number | null)[] }>(
    sql,
    request.where(rows.row, rows.dates[0]).where(defined).where(`duration_bucket(${seconds}) = ?`, bucket.bucket),
    `WITH counted AS MATERIALIZED (SELECT seconds, sum(count(*)) OVER (ORDER BY seconds) AS upto
                        FROM (SELECT ${seconds} AS seconds FROM ${rowsOf(rows)} {where}) AS d GROUP BY seconds)
     SELECT array_agg((SELECT min(seconds) FROM counted WHERE upto > r.rank) ORDER BY r.i) AS values
       FROM unnest($next1::bigint[]) WITH ORDINALITY AS r (rank, i)`,
    [within],
  );
  const values = row?.values ?? [];
  // The rollups and the rows are read in one snapshot (ReadModelStore), so the bucket holds that many rows.
  if (values.length !== ranks.length || values.some((value) => value === null)) {
    throw new Error(`the rollups count ${bucket.rows} rows in bucket ${bucket.bucket} of ${source}, the rows fewer`);
  }
  return values.map(Number);
}
