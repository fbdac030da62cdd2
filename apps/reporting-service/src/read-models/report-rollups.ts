import { EntityManager } from 'typeorm';
import { placeRowsByTheirCase } from './cases.projection';
import { ReadModel } from './read-model';

/**
 * Monthly rollups of the headquarters reports' additive figures (docs/adr/0017-report-rollups.md).
 *
 * What one row of a source table counts towards is written once, as a SQL function
 * `<source>_contributions(row)` answering (at, figure, key, n): a case counts 1 towards
 * `cases.opened` at its `reported_at`, 1 towards `cases.opened.status` keyed by where it stands, and
 * so on. Two things are built from those functions, so they cannot disagree:
 * - a trigger on each source table writes the change of a row's contributions (new minus old, by
 *   month and place) into `report_rollup_changes`, an insert-only table: consumers of several
 *   partitions never wait on one another for a counter row;
 * - `foldRollupChanges` moves those changes into `report_rollups`, one row per month, place,
 *   figure and key, in one short transaction; readers sum both tables, so a report is exact
 *   whether or not the latest changes were folded.
 * The partial first and last month of a period are counted from the rows themselves through the
 * same functions, or as the whole month less the rest of it when that reads fewer rows
 * (reports/contributions.ts).
 */

/**
 * A table whose rows contribute to the rollups, each row placed by its own province, range,
 * district and unit_id: how to read it.
 */
export interface RollupSource {
  table: string;
  /** The alias report queries give the table; the contributions function takes the row by it. */
  row: string;
  contributions: string;
  /** The date columns contributions are dated by: an index on each serves the partial months. */
  dates: string[];
  /** The date column of the figures starting with each prefix, where not all of `dates` can date them: only those are bounded. */
  datedBy?: Record<string, string>;
}

/** The table of a source with its alias, for FROM. */
export const rowsOf = (source: RollupSource): string => `${source.table} ${source.row}`;

/**
 * What a case is counted by in the reports that take `basis` (cases, trend): when it was recorded
 * (reported, the default), when the conduct occurred (observed) or when it became known. Each has
 * its own figures (`<figure>`, `<figure>.status`, `<figure>.clause`) dated by its column.
 */
export const CASE_BASES = {
  reported: { figure: 'cases.opened', column: 'c.reported_at' },
  observed: { figure: 'cases.observed', column: 'c.observed_at' },
  known: { figure: 'cases.known', column: 'c.became_known_at' },
} as const;
export type CaseBasis = keyof typeof CASE_BASES;

export const ROLLUP_SOURCES = {
  cases: {
    row: 'c',
    table: 'cases',
    contributions: 'case_contributions',
    dates: [...Object.values(CASE_BASES).map((basis) => basis.column), 'c.closed_at'],
    datedBy: { ...Object.fromEntries(Object.values(CASE_BASES).map((basis) => [basis.figure, basis.column])), 'cases.closed': 'c.closed_at' },
  },
  takedowns: {
    row: 't',
    table: 'takedown_notices',
    contributions: 'takedown_contributions',
    dates: ['t.served_at'],
  },
  sanctions: {
    row: 's',
    table: 'sanctions',
    contributions: 'sanction_contributions',
    dates: ['s.imposed_at'],
  },
  approvals: {
    row: 'a',
    table: 'approvals_report',
    contributions: 'approval_contributions',
    dates: ['a.requested_at', 'a.decided_at'],
  },
} satisfies Record<string, RollupSource>;

export type RollupSourceName = keyof typeof ROLLUP_SOURCES;

/**
 * Durations whose median a report shows. Each is rolled up as a histogram (`figure`, keyed by the
 * bucket `duration_bucket(seconds)`), so that a median is found exactly by reading the rows of
 * one or two buckets only (reports/medians.ts): a median is not additive, but which bucket holds
 * the middle is. Buckets grow with the duration (8 per factor of e: about 13% wide), so a few
 * dozen cover minutes to months.
 */
export interface RolledUpDuration {
  source: RollupSourceName;
  figure: string;
  /** The duration of a row of the source, in seconds (double precision). */
  seconds: string;
  /** The rows that have one. */
  defined: string;
  /** The column the duration is measured to (from the date the rows are counted by): its index holds it, so that a median reads the index only. */
  until: string;
}

export const DURATIONS = {
  removal: {
    source: 'takedowns',
    figure: 'takedowns.removal-time',
    seconds: 'extract(epoch FROM t.removed_at - t.served_at)::float8',
    defined: 't.removed_at IS NOT NULL',
    until: 'removed_at',
  },
  decision: {
    source: 'approvals',
    figure: 'approvals.decision-time',
    seconds: 'extract(epoch FROM a.decided_at - a.requested_at)::float8',
    defined: 'a.decided_at IS NOT NULL',
    until: 'decided_at',
  },
} satisfies Record<string, RolledUpDuration>;

const histogramOf = ({ source, figure, seconds, defined }: RolledUpDuration) =>
  `UNION ALL SELECT ${ROLLUP_SOURCES[source].dates[0]}, '${figure}', duration_bucket(${seconds})::text, 1 WHERE ${defined}`;

/**
 * The index that finds a bucket's rows of a duration, within a period of the date they are counted
 * by, with their durations (the table's columns, unaliased). It includes the column the duration
 * runs until: with both its columns in the index, PostgreSQL reads a bucket from the index alone
 * (an index-only scan), where it visited each row's page (a bucket of 89,000 requests: 45 ms
 * against 650).
 */
const histogramIndexName = ({ source, figure }: RolledUpDuration) => `${ROLLUP_SOURCES[source].table}_${figure.split('.')[1]!.replace('-', '_')}_idx`;
const histogramIndex = (duration: RolledUpDuration) => {
  const { source, seconds, defined, until } = duration;
  const { table, row, dates } = ROLLUP_SOURCES[source];
  const bare = (sql: string) => sql.replaceAll(`${row}.`, '');
  return `CREATE INDEX IF NOT EXISTS ${histogramIndexName(duration)}
            ON ${table} (duration_bucket(${bare(seconds)}), ${bare(dates[0]!)}, (${bare(seconds)})) INCLUDE (${until}) WHERE ${bare(defined)}`;
};

/**
 * The rollups' layout: a generation whose rollups are older is counted again from its rows
 * (ensureRollups). 2: the duration histograms. 3: cases by when the conduct occurred and became known.
 * 4: triggers per statement, not per row, and the histograms' indexes hold what a median reads (the
 * same counts: layout 3 only has its triggers and those indexes replaced).
 */
export const ROLLUP_VERSION = 4;
const ROLLUP_LAYOUT_COMMENT = `COMMENT ON TABLE report_rollups IS 'report rollups v${ROLLUP_VERSION}'`;
/** The oldest layout whose counts stand as they are: one from it on needs only its triggers replaced. */
const COUNTS_SINCE_VERSION = 3;

/**
 * What a generation of an older layout lacks in the tables the rollups count, added before they are
 * counted again: the cases' observed and known dates (layout 3), taken from the case timeline,
 * which holds every ViolationReported as published (a generation without a timeline keeps them
 * empty: its cases count in no month by those bases until a rebuild).
 */
async function upgradeCountedTables(tx: EntityManager): Promise<void> {
  // Notices and sanctions are counted by their own place columns (their case's, copied).
  await placeRowsByTheirCase(tx);
  await tx.query(`ALTER TABLE cases ADD COLUMN IF NOT EXISTS observed_at timestamptz, ADD COLUMN IF NOT EXISTS became_known_at timestamptz`);
  const [{ timeline }] = await tx.query<[{ timeline: boolean }]>(`SELECT to_regclass('case_timeline') IS NOT NULL AS timeline`);
  if (!timeline) return;
  await tx.query(
    `UPDATE cases c SET observed_at = (t.data->>'observedAt')::timestamptz, became_known_at = (t.data->>'becameKnownAt')::timestamptz
       FROM case_timeline t WHERE t.case_id = c.case_id AND t.type = 'ViolationReported' AND c.observed_at IS NULL`,
  );
}

/** A case's figures dated by one basis: counted, by where it stands, by alleged clause. */
const openedBy = ({ figure, column }: (typeof CASE_BASES)[CaseBasis]) => `
    SELECT ${column}, '${figure}', '', 1::bigint WHERE ${column} IS NOT NULL
    UNION ALL SELECT ${column}, '${figure}.status', CASE WHEN c.status = 'closed' THEN 'closed' ELSE c.stage END, 1 WHERE ${column} IS NOT NULL
    UNION ALL SELECT ${column}, '${figure}.clause', clause, 1 FROM unnest(c.clauses) AS clause WHERE ${column} IS NOT NULL`;

/** The figures each source contributes to, each dated by one of its columns (`n` is 1 unless said). */
const CONTRIBUTIONS: Record<RollupSourceName, string> = {
  cases: `${Object.values(CASE_BASES).map(openedBy).join(' UNION ALL ')}
    UNION ALL SELECT c.closed_at, 'cases.closed', '', 1 WHERE c.closed_at IS NOT NULL
    UNION ALL SELECT c.closed_at, 'cases.closed.clause', clause, 1 FROM unnest(c.clauses) AS clause WHERE c.closed_at IS NOT NULL`,
  takedowns: `
    SELECT t.served_at, 'takedowns.served', '', 1::bigint
    UNION ALL SELECT t.served_at, 'takedowns.removed', '', 1 WHERE t.removed_at IS NOT NULL
    UNION ALL SELECT t.served_at, 'takedowns.within', '', 1 WHERE t.removed_at IS NOT NULL AND t.within_deadline
    UNION ALL SELECT t.served_at, 'takedowns.late', '', 1 WHERE t.removed_at IS NOT NULL AND NOT t.within_deadline
    ${histogramOf(DURATIONS.removal)}`,
  // Keyed "sanction|severity"; standing is keyed by what stands.
  sanctions: `
    SELECT s.imposed_at, 'sanctions.imposed', s.imposed || '|' || s.severity, 1::bigint
    UNION ALL SELECT s.imposed_at, 'sanctions.reduced', s.imposed || '|' || s.severity, 1 WHERE s.outcome = 'reduced'
    UNION ALL SELECT s.imposed_at, 'sanctions.set-aside', s.imposed || '|' || s.severity, 1 WHERE s.outcome = 'set-aside'
    UNION ALL SELECT s.imposed_at, 'sanctions.standing', s.standing, 1 WHERE s.standing IS NOT NULL`,
  // Granted is told from the status: every status after a grant (published, revoked, expired) has a decision time.
  approvals: `
    SELECT a.requested_at, 'approvals.requested', '', 1::bigint
    UNION ALL SELECT a.requested_at, 'approvals.decided', '', 1 WHERE a.decided_at IS NOT NULL
    UNION ALL SELECT a.requested_at, 'approvals.granted', '', 1 WHERE a.decided_at IS NOT NULL AND a.status <> 'rejected'
    UNION ALL SELECT a.requested_at, 'approvals.rejected', '', 1 WHERE a.status = 'rejected'
    UNION ALL SELECT a.requested_at, 'approvals.published', '', 1 WHERE a.published_at IS NOT NULL
    UNION ALL SELECT a.requested_at, 'approvals.refused-publications', '', a.refused_publications WHERE a.refused_publications <> 0
    UNION ALL SELECT a.decided_at, 'approvals.granted-when-decided', '', 1 WHERE a.decided_at IS NOT NULL AND a.status <> 'rejected'
    ${histogramOf(DURATIONS.decision)}`,
};

const MONTH_OF = (at: string) => `date_trunc('month', ${at} AT TIME ZONE 'UTC')::date`;
const ROLLUP_COLUMNS = 'month, province, range, district, figure, key, n';

/** The operations a source's triggers fire on, each with the transition tables it sees (old_rows, new_rows). */
const TRIGGERED = {
  insert: ['NEW TABLE AS new_rows'],
  update: ['OLD TABLE AS old_rows', 'NEW TABLE AS new_rows'],
  delete: ['OLD TABLE AS old_rows'],
};

/**
 * A source's triggers: once per statement, they write the net change of the statement's rows (their
 * contributions after, less before) by month, place, figure and key. A statement's rows are
 * counted together, so a transaction that writes its rows set-wise (ADR 23) writes a few changes,
 * not one group per row. Per statement rather than per row since layout 4: a row trigger ran its
 * query once per row written (about 150 µs each, a fifth of PostgreSQL's time in a rebuild).
 * Transition tables exclude a column list, so every UPDATE fires them; one that changes nothing
 * counted nets to zero and writes nothing.
 */
function sourceTriggers(name: RollupSourceName): string[] {
  const { table, contributions } = ROLLUP_SOURCES[name];
  const counted = (rows: string, sign: string) =>
    `SELECT ${MONTH_OF('x.at')}, r.province, r.range, r.district, x.figure, x.key, ${sign}x.n
       FROM ${rows} r, ${contributions}(r) AS x WHERE x.at IS NOT NULL`;
  const changes = (...counts: string[]) =>
    `INSERT INTO report_rollup_changes (${ROLLUP_COLUMNS})
       SELECT month, province, range, district, figure, key, sum(n) FROM (${counts.join(' UNION ALL ')}) AS d (${ROLLUP_COLUMNS})
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0`;
  return [
    `CREATE OR REPLACE FUNCTION ${table}_rollup() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
     BEGIN
       IF TG_OP = 'INSERT' THEN ${changes(counted('new_rows', ''))};
       ELSIF TG_OP = 'DELETE' THEN ${changes(counted('old_rows', '-'))};
       ELSE ${changes(counted('old_rows', '-'), counted('new_rows', ''))};
       END IF;
       RETURN NULL;
     END $$`,
    // The row trigger of the layouts before 4.
    `DROP TRIGGER IF EXISTS ${table}_rollup ON ${table}`,
    ...Object.entries(TRIGGERED).map(
      ([operation, transitions]) =>
        `CREATE OR REPLACE TRIGGER ${table}_rollup_${operation} AFTER ${operation.toUpperCase()} ON ${table}
           REFERENCING ${transitions.join(' ')} FOR EACH STATEMENT EXECUTE FUNCTION ${table}_rollup()`,
    ),
  ];
}

/** A source's contributions function, its triggers, and the count of the rows it holds. */
function sourceDdl(name: RollupSourceName): string[] {
  const source: RollupSource = ROLLUP_SOURCES[name];
  return [
    `CREATE OR REPLACE FUNCTION ${source.contributions}(${source.row} ${source.table})
       RETURNS TABLE (at timestamptz, figure text, key text, n bigint) LANGUAGE sql IMMUTABLE AS $$ ${CONTRIBUTIONS[name]} $$`,
    ...sourceTriggers(name),
    // What the rows held before the trigger existed (nothing in a new generation; everything when an older one is upgraded).
    `INSERT INTO report_rollups (${ROLLUP_COLUMNS})
     SELECT ${MONTH_OF('x.at')}, ${source.row}.province, ${source.row}.range, ${source.row}.district, x.figure, x.key, sum(x.n)
       FROM ${rowsOf(source)} CROSS JOIN LATERAL ${source.contributions}(${source.row}) AS x
      GROUP BY 1, 2, 3, 4, 5, 6`,
  ];
}

/**
 * The rollup tables, functions and triggers; in every generation, after the tables they count.
 * Everything but the two tables may be there already (an older layout being counted again).
 */
export const reportRollups: ReadModel = {
  name: 'report-rollups',
  ddl: [
    `CREATE TABLE report_rollups (
       month    date   NOT NULL,
       province text   NOT NULL,
       range    text,
       district text,
       figure   text   NOT NULL,
       key      text   NOT NULL,
       n        bigint NOT NULL,
       UNIQUE NULLS NOT DISTINCT (figure, month, province, range, district, key)
     )`,
    ROLLUP_LAYOUT_COMMENT,
    `CREATE TABLE report_rollup_changes (LIKE report_rollups)`,
    // The partial months are read from the rows by these dates (cases.reported_at and approvals' requested_at have theirs).
    `CREATE INDEX IF NOT EXISTS cases_closed_idx ON cases (closed_at) WHERE closed_at IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS cases_observed_idx ON cases (observed_at)`,
    `CREATE INDEX IF NOT EXISTS cases_known_idx ON cases (became_known_at)`,
    `CREATE INDEX IF NOT EXISTS takedown_notices_served_idx ON takedown_notices (served_at)`,
    `CREATE INDEX IF NOT EXISTS takedown_notices_open_due_idx ON takedown_notices (due_at) WHERE removed_at IS NULL`,
    `CREATE INDEX IF NOT EXISTS sanctions_imposed_idx ON sanctions (imposed_at)`,
    `CREATE INDEX IF NOT EXISTS approvals_report_decided_idx ON approvals_report (decided_at) WHERE decided_at IS NOT NULL`,
    `CREATE OR REPLACE FUNCTION duration_bucket(seconds double precision) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT floor(ln(1 + greatest(seconds, 0) / 60) * 8)::int $$`,
    ...Object.values(DURATIONS).map(histogramIndex),
    ...(Object.keys(ROLLUP_SOURCES) as RollupSourceName[]).flatMap(sourceDdl),
  ],
  handlers: {},
};

/** Changes folded per transaction: a rebuild's backlog is folded in short steps. */
export const FOLD_BATCH = 50_000;

/**
 * Folds pending changes into `report_rollups` of a generation's schema; answers how many were
 * folded (at most FOLD_BATCH: call again while it folds that many). One folder at a time per generation (others skip): two would wait on each
 * other's counter rows.
 */
export async function foldRollupChanges(manager: EntityManager, schema: string): Promise<number> {
  return manager.transaction(async (tx) => {
    const [{ locked }] = await tx.query<[{ locked: boolean }]>(`SELECT pg_try_advisory_xact_lock(hashtext($1 || ' report rollups')) AS locked`, [
      schema,
    ]);
    if (!locked) return 0;
    await tx.query(`SET LOCAL search_path TO ${schema}, public`);
    const [{ folded }] = await tx.query<[{ folded: number }]>(
      `WITH moved AS (
         DELETE FROM report_rollup_changes WHERE ctid = ANY (ARRAY(SELECT ctid FROM report_rollup_changes LIMIT $1))
         RETURNING ${ROLLUP_COLUMNS}
       ), upserted AS (
         INSERT INTO report_rollups (${ROLLUP_COLUMNS})
         SELECT month, province, range, district, figure, key, sum(n) FROM moved GROUP BY 1, 2, 3, 4, 5, 6
         ON CONFLICT (figure, month, province, range, district, key) DO UPDATE SET n = report_rollups.n + EXCLUDED.n
       )
       SELECT count(*)::int AS folded FROM moved`,
      [FOLD_BATCH],
    );
    return folded;
  });
}

/** Above this size an emptied changes table is compacted (compactRollupChanges). */
export const COMPACT_CHANGES_ABOVE_BYTES = 64 * 1024 * 1024;

/**
 * Folds every pending change and empties `report_rollup_changes` with TRUNCATE, which gives its
 * pages back. The fold deletes the changes it moves, and the pages they held stay with the table
 * until a VACUUM returns them; every report scans the table, and after a million cases were
 * counted it kept a gigabyte of empty pages (170 ms more per report). Done only when the table
 * has grown past `aboveBytes`, and only if its lock comes at once: the fold never waits, while
 * writers and reports wait for the one statement and the TRUNCATE it holds it for. Answers
 * whether it did.
 */
export async function compactRollupChanges(manager: EntityManager, schema: string, aboveBytes = COMPACT_CHANGES_ABOVE_BYTES): Promise<boolean> {
  // Asked after every fold (each second): one statement, and a transaction only when it is large.
  const [{ large }] = await manager.query<[{ large: boolean }]>(`SELECT pg_relation_size($1::regclass) > $2 AS large`, [
    `${schema}.report_rollup_changes`,
    aboveBytes,
  ]);
  if (!large) return false;
  try {
    return await manager.transaction(async (tx) => {
      await tx.query(`SET LOCAL search_path TO ${schema}, public`);
      await tx.query(`LOCK TABLE report_rollup_changes IN ACCESS EXCLUSIVE MODE NOWAIT`);
      await tx.query(
        `INSERT INTO report_rollups (${ROLLUP_COLUMNS})
         SELECT month, province, range, district, figure, key, sum(n) FROM report_rollup_changes GROUP BY 1, 2, 3, 4, 5, 6
         ON CONFLICT (figure, month, province, range, district, key) DO UPDATE SET n = report_rollups.n + EXCLUDED.n`,
      );
      await tx.query(`TRUNCATE report_rollup_changes`);
      return true;
    });
  } catch (error) {
    // lock_not_available: a report or a writer is using the table; the next fold tries again.
    const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
    if ((code ?? driverError?.code) === '55P03') return false;
    throw error;
  }
}

/**
 * Brings a generation's rollups to this layout (ROLLUP_VERSION): adds them to one built before
 * they existed, or counts an older layout again, from its rows as they stand. Writers wait
 * meanwhile (readers do not, but for the ALTER of an upgrade that adds columns), so no change slips
 * between the count and the trigger. Answers
 * whether it had to.
 */
export async function ensureRollups(manager: EntityManager, schema: string): Promise<boolean> {
  return manager.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1 || ' report rollups install'))`, [schema]);
    const [{ layout, counted }] = await tx.query<[{ layout: string | null; counted: boolean }]>(
      `SELECT CASE WHEN to_regclass($1) IS NOT NULL THEN coalesce(obj_description(to_regclass($1), 'pg_class'), 'report rollups v1') END AS layout,
              to_regclass($2) IS NOT NULL AS counted`,
      [`${schema}.report_rollups`, `${schema}.cases`],
    );
    const version = layout === null ? 0 : Number(/v(\d+)$/.exec(layout)?.[1] ?? 1);
    // Current already, or a generation dropped meanwhile.
    if (version >= ROLLUP_VERSION || !counted) return false;
    await tx.query(`SET LOCAL search_path TO ${schema}, public`);
    const tables = Object.values(ROLLUP_SOURCES).map((source) => source.table);
    await tx.query(`LOCK TABLE ${tables.join(', ')} IN SHARE ROW EXCLUSIVE MODE`);
    if (version >= COUNTS_SINCE_VERSION) {
      for (const name of Object.keys(ROLLUP_SOURCES) as RollupSourceName[]) for (const statement of sourceTriggers(name)) await tx.query(statement);
      for (const duration of Object.values(DURATIONS)) {
        await tx.query(`DROP INDEX IF EXISTS ${histogramIndexName(duration)}`);
        await tx.query(histogramIndex(duration));
      }
      await tx.query(ROLLUP_LAYOUT_COMMENT);
      return true;
    }
    await upgradeCountedTables(tx);
    if (version > 0) await tx.query(`DROP TABLE report_rollups, report_rollup_changes`);
    for (const statement of reportRollups.ddl) await tx.query(statement);
    return true;
  });
}
