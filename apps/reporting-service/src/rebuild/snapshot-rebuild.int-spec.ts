import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Role } from '@conduct/auth';
import { Topics } from '@conduct/messaging';
import { CLOCK } from '@conduct/event-sourcing';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, testInfrastructure, testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { GenerationManager } from '../generations/generation-manager';
import { Generations, Positions } from '../generations/generations';
import { READ_MODEL_GENERATION_HEADER } from '../reports/headquarters-reports.http.controller';
import { publish } from '../testing/published-events';
import { ReportScenario, reportScenario, scenarioEnvelopes } from '../testing/report-scenario';
import { RebuildRunner } from './rebuild-runner';

// Every generation reads the shared topics' whole history (thousands of events from all the test runs).
jest.setTimeout(400_000);
const CATCH_UP_MS = 300_000;

/*
 * Reproducing a stamped report: take a report, let more events change it, rebuild up to the
 * report's positions into a snapshot generation, and read the report from that snapshot. Other
 * tests publish on the same topics meanwhile; the scenario's provinces are unique to this run.
 */

const run = randomBytes(3).toString('hex');
const scenario = reportScenario(run);
const first = scenarioEnvelopes(scenario);
// Published after the report was taken: a Sindh case and an approval request that change its figures.
const { officer, place } = scenario.cases[0]!;
const { place: approvalPlace, requesterId } = scenario.approvals[0]!;
const later: ReportScenario = {
  ...scenario,
  cases: [{ caseId: `${run}-late`, officer, place, clauses: ['SND-1'], reportedAt: '2026-03-20T10:00:00.000Z' }],
  approvals: [{ approvalId: `${run}-late-approval`, place: approvalPlace, requesterId, requestedAt: '2026-03-21T10:00:00.000Z' }],
  flags: [],
  notices: [],
};
const second = scenarioEnvelopes(later);
const ids = (envelopes: typeof first) => [...envelopes.cases, ...envelopes.approvals, ...envelopes.notifications].map((envelope) => envelope.eventId);

let service: TestService;
let producer: Producer;

async function publishAll(envelopes: typeof first): Promise<void> {
  await publish(producer, Topics.cases, envelopes.cases);
  await publish(producer, Topics.approvals, envelopes.approvals);
  await publish(producer, Topics.notifications, envelopes.notifications);
}

/** Rows of these events in one generation's inbox. */
const inboxCount = async (generation: number, eventIds: string[]) =>
  (await service.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM rm_g${generation}.inbox WHERE event_id = ANY($1)`, [eventIds])).rows[0]!.n;

beforeAll(async () => {
  service = await startTestService(AppModule, SERVICE_NAME);
  // "Overdue now" counts against the clock: the same instant for the report and its reproduction.
  jest.spyOn(service.app.get<{ now(): Date }>(CLOCK), 'now').mockReturnValue(new Date(scenario.now));
  producer = testKafka('reporting-snapshot-test').producer();
  await producer.connect();
  await publishAll(first);
  await eventually(async () => (await inboxCount(1, ids(first))) === ids(first).length, {
    timeoutMs: CATCH_UP_MS,
    intervalMs: 250,
    what: 'the scenario in g1',
  });
}, CATCH_UP_MS + 60_000);

afterAll(async () => {
  await producer?.disconnect();
  await service?.close();
}, SERVICE_START_TIMEOUT_MS);

type Who = { roles: Role[]; scope?: { province?: string } };
const hqSindh: Who = { roles: ['HQ_ANALYST'], scope: { province: scenario.sindh } };
const admin: Who = { roles: ['ADMIN'] };
const get = (path: string, who: Who, query: Record<string, string | number> = {}) =>
  request(service.app.getHttpServer())
    .get(path)
    .query(query)
    .set('Authorization', `Bearer ${service.token({ subject: `user-${who.roles[0]!}`, roles: who.roles, scope: who.scope ?? {} })}`);

type Report = { generatedAt: string; positions: Positions } & Record<string, unknown>;
const withoutTime = ({ generatedAt: _, ...rest }: Report) => rest;
const registry = async () =>
  (await service.db.query<{ generation: number; status: string }>('SELECT generation, status FROM read_model_generations ORDER BY generation')).rows;

const snapshotRunner = (until: Positions) =>
  new RebuildRunner({
    dataSource: service.app.get(DataSource),
    generations: service.app.get(Generations),
    kafka: service.app.get(Kafka),
    groupPrefix: process.env['KAFKA_GROUP_PREFIX'],
    until,
  });

/** R1: the report taken before the later events, with its stamp. */
let r1: Report;

it("a rebuild up to a report's stamp reproduces the report exactly after more events changed it, and the service stays on its generation", async () => {
  r1 = (await get('/reports/trend', hqSindh).expect(200)).body as Report;
  expect(r1['months']).not.toEqual([]);

  await publishAll(second);
  // Every later event applied (they travel on two topics, so one changing the report is not all of them).
  await eventually(async () => (await inboxCount(1, ids(second))) === ids(second).length, {
    timeoutMs: 60_000,
    intervalMs: 250,
    what: 'the later events in the live generation',
  });
  const live = (await get('/reports/trend', hqSindh).expect(200)).body as Report;
  expect(live['months']).not.toEqual(r1['months']);
  expect(live.positions).not.toEqual(r1.positions);

  const result = await snapshotRunner(r1.positions).run();

  expect(result).toMatchObject({ generation: 2, status: 'snapshot', previous: 1, dropped: [], differences: [] });
  expect(result.positions).toEqual(r1.positions);
  expect(await registry()).toEqual([
    { generation: 1, status: 'active' },
    { generation: 2, status: 'snapshot' },
  ]);
  // The later events sat right after the stamp (often in the very batch that reached it): none was applied.
  expect(await inboxCount(2, ids(first))).toBe(ids(first).length);
  expect(await inboxCount(2, ids(second))).toBe(0);

  const reproduced = await get('/reports/trend', hqSindh, { generation: 2 }).expect(200);
  expect(reproduced.headers[READ_MODEL_GENERATION_HEADER.toLowerCase()]).toBe('2');
  expect(withoutTime(reproduced.body as Report)).toEqual(withoutTime(r1));
  expect((reproduced.body as Report).positions).toEqual(r1.positions);

  // The live service neither switched to the snapshot nor stopped answering with the later events.
  const manager = service.app.get(GenerationManager);
  await manager.checkForSwitch();
  expect(manager.followedGeneration).toBe(1);
  const liveNow = await get('/reports/trend', hqSindh).expect(200);
  expect(liveNow.headers[READ_MODEL_GENERATION_HEADER.toLowerCase()]).toBe('1');
  expect((liveNow.body as Report)['months']).toEqual(live['months']);
});

it('every report read from the snapshot, as CSV too, carries the stamp and counts without the later events', async () => {
  const lines = (await get('/reports/cases', hqSindh, { format: 'csv', generation: 2 }).expect(200)).text.split('\r\n');
  expect(lines).toContain(`# positions: ${JSON.stringify(r1.positions)}`);
  const opened = (generation?: number) =>
    get('/reports/cases', hqSindh, generation === undefined ? {} : { generation })
      .expect(200)
      .then((response) => (response.body as Report)['opened'] as number);
  const [fromSnapshot, live] = [await opened(2), await opened()];
  expect(lines).toContain(`opened,,${fromSnapshot}`);
  expect(live).toBe(fromSnapshot + 1);
  for (const path of ['/reports/takedowns', '/reports/approvals/summary', '/reports/sanctions', '/reports/officers']) {
    expect(((await get(path, hqSindh, { generation: 2 }).expect(200)).body as Report).positions).toEqual(r1.positions);
  }
});

it('GET /admin/read-models lists the snapshot with the stamp it reproduces', async () => {
  const body = (await get('/admin/read-models', admin).expect(200)).body as {
    generations: { generation: number; status: string; reproduces: Positions | null }[];
  };
  expect(body.generations.map(({ generation, status, reproduces }) => ({ generation, status, reproduces }))).toEqual([
    { generation: 1, status: 'active', reproduces: null },
    { generation: 2, status: 'snapshot', reproduces: r1.positions },
  ]);
});

describe('?generation=', () => {
  it('keeps the roles and the scope: a Sindh analyst sees nothing of Punjab in the snapshot, an officer gets 403', async () => {
    const punjab = (await get('/reports/cases', hqSindh, { province: scenario.punjab, generation: 2 }).expect(200)).body as Report;
    expect(withoutTime(punjab)).toMatchObject({ opened: 0, closed: 0 });
    const forAdmin = (await get('/reports/cases', admin, { province: scenario.punjab, generation: 2 }).expect(200)).body as Report;
    expect(forAdmin['opened']).toBeGreaterThan(0);
    await get('/reports/cases', { roles: ['OFFICER'], scope: { province: scenario.sindh } }, { generation: 2 }).expect(403);
  });

  it('answers 404 problem+json for a generation that does not exist (or whose schema was just dropped), 422 for one still building, 400 for one that is not a number', async () => {
    const missing = await get('/reports/sanctions', hqSindh, { generation: 99 }).expect(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');

    const generations = service.app.get(Generations);
    const building = await generations.createBuilding();
    try {
      const refused = await get('/reports/officers', hqSindh, { generation: building.generation }).expect(422);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(refused.body)).toContain('generation');
    } finally {
      await generations.dropObsolete({ keepFrom: 0, abandonedBuilds: true });
    }

    // Registered but its schema gone: what a read meets when a newer snapshot replaces it mid-request.
    const vanishing = await generations.createBuilding({ [Topics.cases]: { '0': 0 } });
    await generations.keepAsSnapshot(vanishing.generation);
    await service.db.query(`DROP SCHEMA rm_g${vanishing.generation} CASCADE`);
    try {
      const gone = await get('/reports/cases', hqSindh, { generation: vanishing.generation }).expect(404);
      expect(gone.headers['content-type']).toContain('application/problem+json');
    } finally {
      await service.db.query('DELETE FROM read_model_generations WHERE generation = $1', [vanishing.generation]);
    }

    const notANumber = await get('/reports/takedowns', hqSindh, { generation: 'latest' }).expect(400);
    expect((notANumber.body.errors as { field: string }[]).map((error) => error.field)).toContain('generation');
  });
});

it('npm run rebuild:reports -- --until-file <saved CSV report> builds a snapshot of the same stamp, which replaces the older one; a bad stamp fails fast', async () => {
  const repoRoot = join(__dirname, '..', '..', '..', '..');
  const cli = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/reporting-service/src/rebuild/rebuild.cli.ts', ...args], {
        cwd: repoRoot,
        env: { ...process.env, KAFKA_BROKERS: testInfrastructure().kafkaBrokers.join(',') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });

  const bad = await cli(['--until', '{"conduct.cases.v9":{"0":1}}']);
  expect(bad).toMatchObject({ code: 1, stdout: '' });
  expect(bad.stderr).toMatch(/^rebuild failed: --until: unknown topic "conduct.cases.v9"/m);

  // The stamp as a user saves it: the CSV report itself, whose '# positions:' line names R1's stamp.
  const file = join(mkdtempSync(join(tmpdir(), 'conduct-stamp-')), 'trend.csv');
  writeFileSync(file, (await get('/reports/trend', hqSindh, { format: 'csv', generation: 2 }).expect(200)).text);
  const { code, stdout, stderr } = await cli(['--until-file', file]);

  expect({ code, stderr }).toMatchObject({ code: 0 });
  expect(stderr).toMatch(/up to the positions stamp/);
  expect(stderr).toMatch(
    /^rebuild g3 \d+\.\ds \| conduct\.approvals\.v1 \d+\/\d+ lag \d+ \| conduct\.cases\.v1 \d+\/\d+ lag \d+ \| conduct\.notifications\.v1 \d+\/\d+ lag \d+ \| caught up$/m,
  );
  expect(stdout).toMatch(
    /^rebuilt: g3 snapshot \(read with \?generation=3; g1 stays active\), \d+ events in \d+\.\ds, positions equal to the stamp; dropped g2\n$/,
  );
  expect(await registry()).toEqual([
    { generation: 1, status: 'active' },
    { generation: 3, status: 'snapshot' },
  ]);
  const reproduced = (await get('/reports/trend', hqSindh, { generation: 3 }).expect(200)).body as Report;
  expect(withoutTime(reproduced)).toEqual(withoutTime(r1));
});

it('a normal rebuild switches over and keeps the snapshot; snapshots beyond the newest three are dropped', async () => {
  const generations = service.app.get(Generations);
  const normal = await new RebuildRunner({
    dataSource: service.app.get(DataSource),
    generations,
    kafka: service.app.get(Kafka),
    groupPrefix: process.env['KAFKA_GROUP_PREFIX'],
  }).run();
  expect(normal).toMatchObject({ generation: 4, status: 'active', previous: 1, dropped: [] });
  expect(await registry()).toEqual([
    { generation: 1, status: 'retired' },
    { generation: 3, status: 'snapshot' },
    { generation: 4, status: 'active' },
  ]);
  await eventually(() => service.app.get(GenerationManager).followedGeneration === 4, { what: 'the service to follow generation 4' });
  expect((await get('/reports/trend', hqSindh, { generation: 3 }).expect(200)).body).toMatchObject({ positions: r1.positions });

  // Three newer snapshots (of other stamps, left empty: only the registry's retention is under test).
  for (const offset of [0, 1, 2]) {
    const extra = await generations.createBuilding({ [Topics.cases]: { '0': offset } });
    await generations.keepAsSnapshot(extra.generation);
  }
  expect(await generations.dropReplacedSnapshots()).toEqual([3]);
  expect((await registry()).filter((g) => g.status === 'snapshot').map((g) => g.generation)).toEqual([5, 6, 7]);
  await get('/reports/trend', hqSindh, { generation: 3 }).expect(404);
  const { rows } = await service.db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'rm_g3'`);
  expect(rows).toHaveLength(0);
});
