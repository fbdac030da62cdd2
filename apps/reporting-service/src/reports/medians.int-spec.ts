import { createTestDatabase, TestDatabase } from '@conduct/testing';
import { Scope } from '@conduct/jurisdiction';
import { approvalsReport } from '../approvals-report/approvals-report.projection';
import { casesReadModel } from '../read-models/cases.projection';
import { DURATIONS, foldRollupChanges, reportRollups } from '../read-models/report-rollups';
import { medianOverRows, medianSeconds } from './medians';
import { ReportFilters } from './report-query.dto';
import { ReportRequest, Sql } from './report-scope';

jest.setTimeout(120_000);

/*
 * Medians through the rollups' histograms against percentile_cont over the same rows, on a seed of
 * a few thousand notices and approval requests spread over places and two years, for national,
 * provincial, district and unit requests, whole years and periods that cut months in two, and with
 * part of the changes folded: they must agree to the last digit, not to the hour shown.
 */
const SCHEMA = 'medians';
let database: TestDatabase;
const sql: Sql = <Row>(query: string, values: unknown[]) =>
  database.dataSource.transaction('REPEATABLE READ', async (manager) => {
    await manager.query(`SET LOCAL search_path TO ${SCHEMA}, public`);
    return manager.query<Row[]>(query, values);
  });

const PLACES = [
  { province: 'sindh', range: 'karachi', district: 'karachi-south', unit: 'ps-clifton' },
  { province: 'sindh', range: 'karachi', district: 'karachi-east', unit: 'ps-ferozabad' },
  { province: 'punjab', range: 'lahore', district: 'lahore', unit: 'ps-gulberg' },
];

beforeAll(async () => {
  database = await createTestDatabase([], 'reporting_medians');
  await inSchema(async (run) => {
    await run(`CREATE SCHEMA ${SCHEMA}`);
    await run(`SET LOCAL search_path TO ${SCHEMA}, public`);
    for (const model of [approvalsReport, casesReadModel, reportRollups]) for (const statement of model.ddl) await run(statement);
    await run(
      `INSERT INTO cases (case_id, officer_service_number, officer_name, officer_rank, officer_unit_id, province, range, district, unit_id,
                          platform, clauses, status, stage, reported_at, version)
       SELECT 'case-' || i, 'SN-' || i, 'Officer ' || i, 'constable', p->>'unit', p->>'province', p->>'range', p->>'district', p->>'unit',
              'facebook', ARRAY['UNF-1'], 'open', 'reported', timestamptz '2025-01-01' + i * interval '173 minutes', 1
         FROM generate_series(1, 6000) AS i CROSS JOIN LATERAL (SELECT $1::jsonb -> (i % 3) AS p) AS place`,
      [JSON.stringify(PLACES)],
    );
  });
  // Half the notices and requests, their changes folded into the rollups; then the other half, left pending.
  await seed(1, 3000);
  await foldRollupChanges(database.dataSource.manager, SCHEMA);
  await seed(3001, 6000);
});

async function inSchema(work: (run: (query: string, values?: unknown[]) => Promise<unknown>) => Promise<void>): Promise<void> {
  await database.dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL search_path TO ${SCHEMA}, public`);
    await work((query, values) => manager.query(query, values));
  });
}

/** Notices and approval requests of cases first..last: durations from seconds to weeks, with ties; some never removed or decided. */
async function seed(first: number, last: number): Promise<void> {
  await inSchema(async (run) => {
    await run(
      `INSERT INTO takedown_notices (notice_id, case_id, served_at, due_at, removed_at, within_deadline)
       SELECT 'notice-' || i, c.case_id, c.reported_at + interval '1 hour', c.reported_at + interval '7 days',
              CASE WHEN i % 7 = 0 THEN NULL ELSE c.reported_at + interval '1 hour' + ((i * 7919) % 900000) * interval '1 second' / (1 + i % 5) END,
              CASE WHEN i % 7 = 0 THEN NULL ELSE true END
         FROM generate_series($1::int, $2::int) AS i JOIN cases c ON c.case_id = 'case-' || i`,
      [first, last],
    );
    await run(
      `INSERT INTO approvals_report (approval_id, requester_id, province, range, district, unit_id, platform, official_account_id, title,
                                     features, status, requested_at, decided_at, last_event_id, last_stream_version)
       SELECT 'approval-' || i, c.officer_service_number, c.province, c.range, c.district, c.unit_id, 'facebook', 'account', 'title',
              ARRAY['uniform'], CASE WHEN i % 4 = 0 THEN 'pending' ELSE 'granted' END, c.reported_at,
              CASE WHEN i % 4 = 0 THEN NULL ELSE c.reported_at + (i % 50) * interval '1 hour' END, gen_random_uuid(), 1
         FROM generate_series($1::int, $2::int) AS i JOIN cases c ON c.case_id = 'case-' || i`,
      [first, last],
    );
  });
}

afterAll(async () => {
  await database?.drop();
});

const national: Scope = {};
const cases: [string, Scope, ReportFilters][] = [
  ['national, all time', national, {}],
  ['national, a period cutting months in two', national, { from: '2025-02-14T06:00:00Z', to: '2026-03-09T00:00:00Z' }],
  ['a province, one year', national, { province: 'sindh', from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }],
  ['a district, one quarter', national, { district: 'karachi-east', from: '2025-04-01T00:00:00Z', to: '2025-07-01T00:00:00Z' }],
  ['a unit (counted from the rows)', national, { unitId: 'ps-gulberg' }],
  ['the scope of a district officer', { province: 'punjab', range: 'lahore', district: 'lahore' }, { from: '2025-06-10T00:00:00Z' }],
  ['a period with nothing in it', national, { from: '2030-01-01T00:00:00Z' }],
  // Notices 1 and 2 (removed after 3,960 and 5,279 s) and requests 1 and 2 (decided after 1 and 2 hours): the middle lies between two buckets.
  ['two rows of different buckets', national, { from: '2025-01-01T02:00:00Z', to: '2025-01-01T07:00:00Z' }],
];

describe.each(cases)('%s', (_name, scope, filters) => {
  const request = new ReportRequest(scope, filters, new Date('2027-01-01T00:00:00Z'));

  it.each(Object.entries(DURATIONS))('the median %s time through the histogram equals percentile_cont over the rows', async (_duration, duration) => {
    expect(await medianSeconds(sql, request, duration)).toBe(await medianOverRows(sql, request, duration));
  });
});
