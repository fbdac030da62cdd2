/**
 * Headquarters reports at national scale (#12 point 2). Seeds reporting-service's read models
 * directly in SQL, in a database of its own: 1,000,000 cases, 600,000 takedown notices, 500,000
 * findings, 300,000 sanctions, 1,000,000 approvals and 5,000 early-intervention flags, spread over
 * 3 provinces, 12 ranges, 40 districts, 400 units and 5 years. Then runs each of the six reports
 * as reporting-service does (its figure functions, in one repeatable-read transaction on the
 * generation's schema) for three scopes: national all time, one province over one year, one
 * district over one quarter; every run asks a different `to`, so no answer can come from a
 * response cache (PostgreSQL's buffers stay warm: these are warm-cache figures on a freshly
 * vacuumed seed).
 * The rows go in through the read models' own DDL, so the rollups' triggers count them as the
 * projections' writes would be counted.
 * Then the two medians alone (time to removal, time to decision), found through the rollups'
 * histograms as the reports find them and by percentile_cont over every row as they did: the
 * same-run baseline, and a check that both give the same figure.
 * Last, the case list's first page (with its total) and its page 10,000, after its cursor (keyset)
 * and by number (OFFSET), through the list's own paging code.
 *
 *   npm run bench:reports
 *
 * Env: BENCH_CASES (1000000; the other tables scale with it), BENCH_RUNS (20 per report and
 * scope), BENCH_RESEED=true (seed again even if the database holds a complete seed of this size
 * and layout), BENCH_REPORTS (a comma-separated list of the reports to time, such as
 * `officers`; default all), CONDUCT_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432). Needs no running service.
 * Progress goes to stderr; the last line of stdout is one JSON object.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { Filters } from '@conduct/queries';
import { approvalsReport } from '../../apps/reporting-service/src/approvals-report/approvals-report.projection';
import { casesReadModel } from '../../apps/reporting-service/src/read-models/cases.projection';
import { officersReadModel } from '../../apps/reporting-service/src/read-models/officers.projection';
import { upgradeReadModels } from '../../apps/reporting-service/src/read-models/read-model';
import {
  compactRollupChanges,
  ensureRollups,
  DURATIONS,
  foldRollupChanges,
  FOLD_BATCH,
  RolledUpDuration,
  reportRollups,
} from '../../apps/reporting-service/src/read-models/report-rollups';
import { medianOverRows, medianSeconds } from '../../apps/reporting-service/src/reports/medians';
import {
  approvalsSummaryReport,
  casesReport,
  officersReport,
  ReportDefinition,
  sanctionsReport,
  takedownsReport,
  trendReport,
} from '../../apps/reporting-service/src/reports/report-definitions';
import { ReportRequest } from '../../apps/reporting-service/src/reports/report-scope';
import { casesAfter, casesPage } from '../../apps/reporting-service/src/cases-list/case-pages';
import { latencySummary, numberFromEnv, progress, round } from './bench-support';

const cases = numberFromEnv('BENCH_CASES', 1_000_000);
const runs = numberFromEnv('BENCH_RUNS', 20);
const reseed = process.env['BENCH_RESEED'] === 'true';
// Empty or unset: every report.
const only = process.env['BENCH_REPORTS'] ? process.env['BENCH_REPORTS'].split(',') : undefined;
const server = (process.env['CONDUCT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const database = 'conduct_bench_reports';
const schema = 'rm_bench';
const YEARS = 5;
const DEEP_PAGE = 10_000;
const PAGE_SIZE = 50;
/** Bump when the seed's layout changes (or the read models' DDL does): an older seed is not reused. */
const SEED_VERSION = 6;

/** The moment the seed is spread back from: every report's "now". */
const NOW = new Date('2026-12-01T00:00:00.000Z');
const DAY_MS = 86_400_000;

/** Each report, and the two that count cases by another date once more by that date (`basis`). */
const reports: [string, ReportDefinition<object>, { basis?: 'observed' | 'known' }?][] = [
  ['cases', casesReport],
  ['cases by observed', casesReport, { basis: 'observed' }],
  ['trend', trendReport],
  ['trend by known', trendReport, { basis: 'known' }],
  ['officers', officersReport],
  ['takedowns', takedownsReport],
  ['sanctions', sanctionsReport],
  ['approvals', approvalsSummaryReport],
];

/** The three scopes of the issue: national all time, one province over a year, one district over a quarter. */
const scopes = [
  { name: 'national', filters: {}, days: undefined },
  { name: 'province-year', filters: { province: 'sindh' }, days: 365 },
  { name: 'district-quarter', filters: { district: 'district-7' }, days: 91 },
] as const;

async function main(): Promise<void> {
  await ensureDatabase();
  const dataSource = await new DataSource({ type: 'postgres', url: `${server}/${database}`, logging: false, extra: { max: 2 } }).initialize();
  try {
    const seeded = await seededCases(dataSource);
    if (seeded !== cases || reseed) await seed(dataSource);
    else {
      progress(`[bench:reports] reusing the seed of ${cases.toLocaleString('en')} cases in ${database} (BENCH_RESEED=true seeds again)`);
      // A seed of an older layout is brought up to date as the service brings its generations.
      const upgradeStarted = performance.now();
      const upgraded = await inGeneration(dataSource, (manager) => upgradeReadModels([casesReadModel, officersReadModel, approvalsReport], manager));
      const rolledUp = await ensureRollups(dataSource.manager, schema);
      if (upgraded || rolledUp) {
        await dataSource.query(`VACUUM ANALYZE`);
        progress(`[bench:reports] seed upgraded to this version's layout in ${round((performance.now() - upgradeStarted) / 1000)} s`);
      }
    }

    const results: { report: string; scope: string; p50Ms: number; p99Ms: number }[] = [];
    for (const [report, definition, basis] of reports) {
      if (only && !only.includes(report)) continue;
      for (const scope of scopes) {
        const durations: number[] = [];
        for (let run = 0; run < runs; run++) {
          // A different `to` every run (a second later each time): no answer can come from a cache.
          const to = new Date(NOW.getTime() - run * 1000);
          const from = scope.days === undefined ? undefined : new Date(to.getTime() - scope.days * DAY_MS);
          const filters = { ...scope.filters, ...basis, to: to.toISOString(), ...(from ? { from: from.toISOString() } : {}) };
          const request = new ReportRequest({}, filters, NOW);
          const started = performance.now();
          await inGeneration(dataSource, (manager) => definition.figures((query, values) => manager.query(query, values), request));
          durations.push(performance.now() - started);
        }
        const summary = latencySummary(durations);
        results.push({ report, scope: scope.name, ...summary });
        progress(`[bench:reports] ${report.padEnd(17)} ${scope.name.padEnd(16)} p50 ${summary.p50Ms} ms  p99 ${summary.p99Ms} ms`);
      }
    }

    const medians = await compareMedians(dataSource);

    const timed = async (work: (manager: EntityManager) => Promise<unknown>): Promise<number> => {
      const durations: number[] = [];
      for (let run = 0; run < Math.min(runs, 5); run++) {
        const started = performance.now();
        await inGeneration(dataSource, work);
        durations.push(performance.now() - started);
      }
      return latencySummary(durations).p50Ms;
    };
    // Where page 10,000 starts: the cursor of the last case of page 9,999, as the list hands it out.
    const [before] = await inGeneration(dataSource, (manager) =>
      manager.query<{ position: string; case_id: string }[]>(
        `SELECT to_json(reported_at) #>> '{}' AS position, case_id FROM cases ORDER BY reported_at DESC, case_id OFFSET $1 LIMIT 1`,
        [(DEEP_PAGE - 1) * PAGE_SIZE - 1],
      ),
    );
    if (!before) throw new Error(`the seed has fewer than ${DEEP_PAGE} pages`);
    const firstPageMs = await timed((manager) => casesPage(manager, new Filters(), 1, PAGE_SIZE));
    const deepPageByNumberMs = await timed((manager) => casesPage(manager, new Filters(), DEEP_PAGE, PAGE_SIZE));
    const deepPageMs = await timed((manager) =>
      casesAfter(manager, new Filters(), { reportedAt: before.position, caseId: before.case_id }, PAGE_SIZE),
    );
    progress(
      `[bench:reports] case list, ${PAGE_SIZE} a page: page 1 ${firstPageMs} ms (with the total); page ${DEEP_PAGE.toLocaleString('en')} after its cursor ${deepPageMs} ms, by number ${deepPageByNumberMs} ms`,
    );

    const maxP99Ms = round(Math.max(...results.map((result) => result.p99Ms)));
    console.log(JSON.stringify({ cases, runs, reports: results, maxP99Ms, firstPageMs, deepPageMs, deepPageByNumberMs, medians }));
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The same-run baseline of the medians: each median alone, found through the rollups' histogram
 * (as the reports do) and by percentile_cont over every row (as they did), for each scope, with
 * the two answers compared: the histogram must not change a figure.
 */
async function compareMedians(dataSource: DataSource) {
  const compared = [];
  for (const [name, duration] of Object.entries(DURATIONS) as [string, RolledUpDuration][]) {
    for (const scope of scopes) {
      const timings = { histogram: [] as number[], percentileCont: [] as number[] };
      let equal = true;
      for (let run = 0; run < runs; run++) {
        const to = new Date(NOW.getTime() - run * 1000);
        const fromDate = scope.days === undefined ? undefined : new Date(to.getTime() - scope.days * DAY_MS);
        const request = new ReportRequest({}, { ...scope.filters, to: to.toISOString(), ...(fromDate ? { from: fromDate.toISOString() } : {}) }, NOW);
        const answers: (number | null)[] = [];
        for (const [way, median] of [
          ['histogram', medianSeconds],
          ['percentileCont', medianOverRows],
        ] as const) {
          const started = performance.now();
          answers.push(await inGeneration(dataSource, (manager) => median((query, values) => manager.query(query, values), request, duration)));
          timings[way].push(performance.now() - started);
        }
        equal &&= answers[0] === answers[1];
      }
      const result = {
        median: name,
        scope: scope.name,
        histogramP50Ms: latencySummary(timings.histogram).p50Ms,
        percentileContP50Ms: latencySummary(timings.percentileCont).p50Ms,
        equal,
      };
      compared.push(result);
      progress(
        `[bench:reports] median ${name.padEnd(8)} ${scope.name.padEnd(16)} histogram p50 ${result.histogramP50Ms} ms, percentile_cont p50 ${result.percentileContP50Ms} ms, ${equal ? 'equal' : 'DIFFERENT'}`,
      );
    }
  }
  return compared;
}

/** Runs `work` as reporting-service reads a generation: one repeatable-read transaction on its schema. */
async function inGeneration<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    await manager.query(`SET LOCAL search_path TO ${schema}, public`);
    return work(manager);
  });
}

async function ensureDatabase(): Promise<void> {
  const admin = new Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
}

/** The size of a complete seed of this layout in the database, if there is one. */
async function seededCases(dataSource: DataSource): Promise<number | undefined> {
  const [marker] = await dataSource.query<{ exists: boolean }[]>(`SELECT to_regclass('${schema}.seed') IS NOT NULL AS exists`);
  if (!marker?.exists) return undefined;
  const [row] = await dataSource.query<{ cases: number; version: number }[]>(`SELECT cases, version FROM ${schema}.seed`);
  return row?.version === SEED_VERSION ? row.cases : undefined;
}

/** The read models' own DDL (as a new generation runs it), then the rows, all generated in SQL. */
async function seed(dataSource: DataSource): Promise<void> {
  const started = performance.now();
  progress(`[bench:reports] seeding ${cases.toLocaleString('en')} cases and the rest into ${database}.${schema}...`);
  await dataSource.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await dataSource.query(`CREATE SCHEMA ${schema}`);
  await dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL search_path TO ${schema}, public`);
    for (const model of [casesReadModel, officersReadModel, approvalsReport, reportRollups])
      for (const statement of model.ddl) await manager.query(statement);
  });
  const span = YEARS * 365 * DAY_MS;
  // A unit from a hash of the row number, so that where a case is says nothing of its other
  // columns (each a plain modulo of the row number). Unit u sits in district u % 40, range d % 12,
  // province r % 3: 400 units, 40 districts, 12 ranges, 3 provinces.
  const unit = (n: string) => `((hashint4(${n}) & 2147483647) % 400)`;
  const place = (n: string) => `
       (ARRAY['sindh','punjab','khyber-pakhtunkhwa'])[(${unit(n)} % 40 % 12) % 3 + 1],
       'range-' || (${unit(n)} % 40 % 12),
       'district-' || (${unit(n)} % 40),
       'unit-' || ${unit(n)}`;
  const at = (n: string) => `'${NOW.toISOString()}'::timestamptz - ((${n}::bigint * ${Math.floor(span / cases)}) || ' milliseconds')::interval`;
  const steps: [string, string][] = [
    [
      'cases',
      `INSERT INTO ${schema}.cases (case_id, officer_service_number, officer_name, officer_rank, officer_unit_id, province, range, district, unit_id,
         platform, clauses, status, stage, reported_at, observed_at, became_known_at, closed_at, takedown_notice_id, takedown_due_at, takedown_removed_at, finding_outcome, sanction, version)
       SELECT 'case-' || i, 'SN-' || (i % 150000), 'Officer ' || (i % 150000), 'ASI', 'unit-' || ${unit('i')}, ${place('i')},
              (ARRAY['facebook','x','youtube','tiktok'])[i % 4 + 1],
              CASE WHEN i % 4 = 0 THEN ARRAY['SND-' || (i % 6 + 1), 'SND-' || ((i + 3) % 6 + 1)] ELSE ARRAY['SND-' || (i % 6 + 1)] END,
              CASE WHEN i % 5 < 3 THEN 'closed' ELSE 'open' END,
              (ARRAY['reported','investigating','finding','sanction','appeal'])[i % 5 + 1],
              ${at('i')},
              ${at('i')} - ((i % 30) || ' days')::interval,
              ${at('i')} - ((i % 7) || ' days')::interval,
              CASE WHEN i % 5 < 3 THEN ${at('i')} + ((i % 90) || ' days')::interval END,
              CASE WHEN i % 5 < 3 THEN 'notice-' || i END,
              CASE WHEN i % 5 < 3 THEN ${at('i')} + interval '8 days' END,
              CASE WHEN i % 5 < 3 AND i % 7 <> 0 THEN ${at('i')} + ((1 + i % 10) || ' days')::interval END,
              CASE WHEN i % 2 = 0 THEN 'substantiated' WHEN i % 3 = 0 THEN 'not-substantiated' END,
              CASE WHEN i % 10 < 3 THEN 'censure' END,
              5
         FROM generate_series(1, ${cases}) AS i`,
    ],
    [
      'takedown notices',
      `INSERT INTO ${schema}.takedown_notices (notice_id, case_id, served_at, due_at, removed_at, within_deadline, missed_at)
       SELECT 'notice-' || i, 'case-' || i, ${at('i')} + interval '1 day', ${at('i')} + interval '8 days',
              CASE WHEN i % 7 <> 0 THEN ${at('i')} + ((1 + i % 10) || ' days')::interval END,
              CASE WHEN i % 7 <> 0 THEN 1 + i % 10 <= 8 END,
              CASE WHEN i % 7 = 0 OR 1 + i % 10 > 8 THEN ${at('i')} + interval '8 days' END
         FROM generate_series(1, ${cases}) AS i WHERE i % 5 < 3`,
    ],
    [
      'findings',
      `INSERT INTO ${schema}.findings (event_id, case_id, outcome, clauses, recorded_at, set_aside, version)
       SELECT gen_random_uuid(), 'case-' || i, CASE WHEN i % 4 < 3 THEN 'substantiated' ELSE 'not-substantiated' END,
              ARRAY['SND-' || (i % 6 + 1)], ${at('i')} + interval '30 days', i % 40 = 0, 3
         FROM generate_series(1, ${cases}) AS i WHERE i % 2 = 0`,
    ],
    [
      'sanctions',
      `INSERT INTO ${schema}.sanctions (event_id, case_id, imposed, severity, imposed_at, standing, outcome, version)
       SELECT gen_random_uuid(), 'case-' || i, (ARRAY['censure','fine','reduction-in-rank','dismissal'])[i % 4 + 1],
              (ARRAY['minor','minor','major','major'])[i % 4 + 1], ${at('i')} + interval '60 days',
              CASE WHEN i % 20 = 0 THEN NULL WHEN i % 20 = 1 THEN 'censure' ELSE (ARRAY['censure','fine','reduction-in-rank','dismissal'])[i % 4 + 1] END,
              CASE WHEN i % 20 = 0 THEN 'set-aside' WHEN i % 20 = 1 THEN 'reduced' ELSE 'standing' END, 4
         FROM generate_series(1, ${cases}) AS i WHERE i % 10 < 3`,
    ],
    [
      'approvals',
      `INSERT INTO ${schema}.approvals_report (approval_id, requester_id, province, range, district, unit_id, platform, official_account_id, title, features,
         status, requested_at, decided_at, published_at, refused_publications, last_event_id, last_stream_version)
       SELECT 'approval-' || i, 'media-' || (i % 2000), ${place('i')}, (ARRAY['facebook','x','youtube'])[i % 3 + 1], 'account-' || (i % 400),
              'Video ' || i, ARRAY['uniform'],
              (ARRAY['granted','rejected','published','expired','requested'])[i % 5 + 1],
              ${at('i')},
              CASE WHEN i % 5 <> 4 THEN ${at('i')} + ((i % 72) || ' hours')::interval END,
              CASE WHEN i % 5 = 2 THEN ${at('i')} + interval '4 days' END,
              (i % 50 = 0)::int, gen_random_uuid(), 3
         FROM generate_series(1, ${cases}) AS i`,
    ],
    [
      'early-intervention flags',
      `INSERT INTO ${schema}.early_intervention_flags (event_id, service_number, case_ids, raised_at, window_start, province, range, district, unit_id)
       SELECT gen_random_uuid(), 'SN-' || i, ARRAY['case-' || i, 'case-' || (i + 150000)], ${at('i * 200')}, ${at('i * 200')} - interval '365 days', ${place('i')}
         FROM generate_series(1, ${Math.floor(cases / 200)}) AS i`,
    ],
  ];
  for (const [what, sql] of steps) {
    const stepStarted = performance.now();
    await dataSource.query(sql);
    progress(`[bench:reports]   ${what} in ${round((performance.now() - stepStarted) / 1000)} s`);
  }
  // The rollups' triggers counted every row as it went in; the service folds their changes as they come.
  const foldStarted = performance.now();
  let folded = 0;
  for (let batch = FOLD_BATCH; batch >= FOLD_BATCH; folded += batch) batch = await foldRollupChanges(dataSource.manager, schema);
  progress(`[bench:reports]   ${folded.toLocaleString('en')} rollup changes folded in ${round((performance.now() - foldStarted) / 1000)} s`);
  // Folded, the changes table is empty but as large as it grew (a gigabyte): the service's folder
  // gives the pages back (compactRollupChanges); a database-wide VACUUM once did not.
  const compacted = await compactRollupChanges(dataSource.manager, schema);
  progress(`[bench:reports]   rollup changes table ${compacted ? 'compacted' : 'left as it was'}`);
  // Written last: a seed cut short, or one of an older layout, is seeded again.
  await dataSource.query(`CREATE TABLE ${schema}.seed AS SELECT ${cases}::int AS cases, ${SEED_VERSION}::int AS version`);
  await dataSource.query(`VACUUM ANALYZE`);
  progress(`[bench:reports] seeded in ${round((performance.now() - started) / 1000)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
