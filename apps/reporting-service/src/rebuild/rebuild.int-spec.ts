import { spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, testKafka, testInfrastructure } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { CaseTimeline } from '../case-timeline/case-timeline.query';
import { GenerationManager } from '../generations/generation-manager';
import { Generations, Positions } from '../generations/generations';
import { approvalEnvelopes } from '../testing/approval-events';
import { caseTimelineScenario, CaseTimelineScenario } from '../testing/case-timeline-events';
import { publish } from '../testing/published-events';
import { RebuildProgress } from './rebuild-progress';
import { RebuildInProgressError, RebuildRunner } from './rebuild-runner';

// Every rebuild reads the shared topics' whole history (thousands of events from all the test runs).
jest.setTimeout(400_000);
const CATCH_UP_MS = 300_000;

/*
 * Rebuilds against real PostgreSQL and the real topics: the new generation must hold exactly what
 * the live one built, the service must answer throughout and follow the switch, and the live
 * consumer must go on in the new generation. Other tests publish on the same topics meanwhile, so
 * comparisons are on this file's own streams.
 */

let service: TestService;
let producer: Producer;
const scenario = caseTimelineScenario();
const approval = approvalEnvelopes({ title: 'Rebuilt approval' });

beforeAll(async () => {
  service = await startTestService(AppModule, SERVICE_NAME);
  producer = testKafka('reporting-rebuild-test').producer();
  await producer.connect();
  await publishScenario(scenario);
  await publish(producer, Topics.approvals, approval.envelopes);
}, SERVICE_START_TIMEOUT_MS);

afterAll(async () => {
  await producer?.disconnect();
  await service?.close();
});

async function publishScenario(s: CaseTimelineScenario): Promise<void> {
  await publish(producer, Topics.cases, s.caseEnvelopes);
  await publish(producer, Topics.notifications, s.noticeEnvelopes);
}

const analyst = () => service.token({ subject: 'hq-1', roles: ['HQ_ANALYST'], scope: { province: 'sindh' } });
const http = () => request(service.app.getHttpServer());
const streamsOf = (s: CaseTimelineScenario) => [s.caseId, s.noticeStreamId];

/** The scenario's events on the timeline as the service answers now. */
async function ourTimeline(s: CaseTimelineScenario): Promise<CaseTimeline['events']> {
  const response = await http().get(`/cases/${s.caseId}/timeline`).set('Authorization', `Bearer ${analyst()}`).expect(200);
  return (response.body as CaseTimeline).events.filter((event) => streamsOf(s).includes(event.streamId));
}

async function approvalRow(): Promise<unknown> {
  const response = await http()
    .get('/reports/approvals')
    .query({ pageSize: 100, from: '2026-03-01T00:00:00.000Z', to: '2026-03-01T23:59:59.000Z' })
    .set('Authorization', `Bearer ${analyst()}`)
    .expect(200);
  return (response.body as { items: { approvalId: string }[] }).items.find((item) => item.approvalId === approval.approvalId);
}

/** The stored rows of this file's streams in one generation, as SQL sees them. */
async function storedRows(generation: number, s: CaseTimelineScenario): Promise<{ timeline: unknown[]; approvals: unknown[] }> {
  const schema = `rm_g${generation}`;
  const timeline = await service.db.query(`SELECT * FROM ${schema}.case_timeline WHERE stream_id = ANY($1) ORDER BY event_id`, [streamsOf(s)]);
  // updated_at is the time of projection, not a fact of the events.
  const approvals = await service.db.query(`SELECT * FROM ${schema}.approvals_report WHERE approval_id = $1`, [approval.approvalId]);
  return { timeline: timeline.rows, approvals: approvals.rows.map(({ updated_at: _, ...row }: Record<string, unknown>) => row) };
}

const generations = async () =>
  (await service.db.query<{ generation: number; status: string }>('SELECT generation, status FROM read_model_generations ORDER BY generation')).rows;

/** Every partition the older generation has applied, the newer one has applied at least as far. */
function covers(newer: Positions, older: Positions): boolean {
  return Object.entries(older).every(([topic, partitions]) =>
    Object.entries(partitions).every(([partition, offset]) => (newer[topic]?.[partition] ?? -1) >= offset),
  );
}

const runner = (onProgress?: (progress: RebuildProgress) => void) =>
  new RebuildRunner({
    dataSource: service.app.get(DataSource),
    generations: service.app.get(Generations),
    kafka: service.app.get(Kafka),
    groupPrefix: process.env['KAFKA_GROUP_PREFIX'],
    progressIntervalMs: 100,
    ...(onProgress ? { onProgress } : {}),
  });

it('rebuilds into generation 2 while the service keeps answering, with identical rows and positions, then goes on live in it', async () => {
  await eventually(async () => (await ourTimeline(scenario)).length === 9 && (await approvalRow()), {
    timeoutMs: CATCH_UP_MS,
    intervalMs: 500,
    what: 'the scenario in g1',
  });
  const timelineBefore = await ourTimeline(scenario);
  const approvalBefore = await approvalRow();
  const progress: RebuildProgress[] = [];

  // Queries keep going during the whole rebuild: each must be answered in full.
  const answers: number[] = [];
  let rebuilding = true;
  const querying = (async () => {
    while (rebuilding) {
      answers.push((await ourTimeline(scenario)).length);
      await new Promise((resolve) => setTimeout(resolve, 100)); // pacing, not waiting: leave the machine to the rebuild
    }
  })();
  const rebuild = runner((p) => progress.push(p)).run();
  // One rebuild at a time: a second one is refused while this one runs.
  await eventually(() => progress.length > 0, { timeoutMs: 30_000, what: 'the rebuild to start' });
  await expect(runner().run()).rejects.toBeInstanceOf(RebuildInProgressError);
  const result = await rebuild;
  rebuilding = false;
  await querying;

  expect(answers.length).toBeGreaterThan(0);
  expect(new Set(answers)).toEqual(new Set([9]));
  expect(result).toMatchObject({ generation: 2, previous: 1, dropped: [] });
  expect(await generations()).toEqual([
    { generation: 1, status: 'retired' },
    { generation: 2, status: 'active' },
  ]);
  const last = progress.at(-1)!;
  expect(last.caughtUp).toBe(true);
  expect(last.topics.map((t) => t.topic).sort()).toEqual([Topics.approvals, Topics.cases, Topics.notifications].sort());
  expect(last.topics.every((t) => t.lag === 0 && t.done === t.total)).toBe(true);

  // The same events give the same rows, down to the Kafka offsets they came from.
  expect(await storedRows(2, scenario)).toEqual(await storedRows(1, scenario));
  const generationsApi = service.app.get(Generations);
  const [rebuilt, previous] = [await generationsApi.positions(2), await generationsApi.positions(1)];
  expect(covers(rebuilt, previous)).toBe(true);
  expect(rebuilt[Topics.cases]).toBeDefined();

  // The service follows within its poll, and answers the same from the new generation.
  const manager = service.app.get(GenerationManager);
  await eventually(() => manager.followedGeneration === 2, { what: 'the service to follow generation 2' });
  expect(await ourTimeline(scenario)).toEqual(timelineBefore);
  expect(await approvalRow()).toEqual(approvalBefore);

  // The live consumer goes on in generation 2 from the offsets the rebuild committed.
  const later = caseTimelineScenario();
  await publishScenario(later);
  await eventually(async () => (await ourTimeline(later)).length === 9, { timeoutMs: 60_000, what: 'an event published after the switch' });
  expect((await storedRows(2, later)).timeline).toHaveLength(9);
  expect((await storedRows(1, later)).timeline).toHaveLength(0);
});

it('npm run rebuild:reports prints progress, switches the running service over, drops the oldest generation and exits 0', async () => {
  const repoRoot = join(__dirname, '..', '..', '..', '..');
  const cli = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/reporting-service/src/rebuild/rebuild.cli.ts'], {
    cwd: repoRoot,
    env: { ...process.env, KAFKA_BROKERS: testInfrastructure().kafkaBrokers.join(',') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve));

  expect({ code, stderr }).toMatchObject({ code: 0 });
  expect(stderr).toMatch(
    /^rebuild g3 \d+\.\ds \| conduct\.approvals\.v1 \d+\/\d+ lag \d+ \| conduct\.cases\.v1 \d+\/\d+ lag \d+ \| conduct\.notifications\.v1 \d+\/\d+ lag \d+ \| caught up$/m,
  );
  expect(stdout).toMatch(/^rebuilt: g3 active \(was g2\), \d+ events in \d+\.\ds; dropped g1\n$/);
  expect(await generations()).toEqual([
    { generation: 2, status: 'retired' },
    { generation: 3, status: 'active' },
  ]);
  await eventually(() => service.app.get(GenerationManager).followedGeneration === 3, { what: 'the service to follow generation 3' });
  expect(await ourTimeline(scenario)).toHaveLength(9);
  const { rows } = await service.db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'rm_g1'`);
  expect(rows).toHaveLength(0);
});

it('POST /admin/read-models/rebuild rebuilds in the background, one at a time, and GET /admin/read-models shows its progress (ADMIN only)', async () => {
  const admin = service.token({ subject: 'admin-1', roles: ['ADMIN'] });
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  await http().post('/admin/read-models/rebuild').set(as(analyst())).expect(403);
  await http().get('/admin/read-models').set(as(analyst())).expect(403);

  const started = await http().post('/admin/read-models/rebuild').set(as(admin)).expect(202);
  expect(started.body).toMatchObject({ generation: 4 });
  await http().post('/admin/read-models/rebuild').set(as(admin)).expect(409);
  const during = await http().get('/admin/read-models').set(as(admin)).expect(200);
  expect(during.body).toMatchObject({
    generations: [
      { generation: 2, status: 'retired' },
      { generation: 3, status: 'active' },
      { generation: 4, status: 'building' },
    ],
    running: { generation: 4 },
  });

  const after = await eventually(
    async () => {
      const response = await http().get('/admin/read-models').set(as(admin)).expect(200);
      const body = response.body as {
        running: unknown;
        last: { result?: { generation: number } } | null;
        generations: { generation: number; status: string }[];
      };
      return body.running === null && body.last !== null && body;
    },
    { timeoutMs: CATCH_UP_MS, intervalMs: 1000, what: 'the admin rebuild to finish' },
  );
  expect(after.last).toMatchObject({ result: { generation: 4, previous: 3, dropped: [2] } });
  expect(after.generations.map(({ generation, status }) => ({ generation, status }))).toEqual([
    { generation: 3, status: 'retired' },
    { generation: 4, status: 'active' },
  ]);
  expect(service.app.get(GenerationManager).followedGeneration).toBe(4);
  expect(await ourTimeline(scenario)).toHaveLength(9);
});
