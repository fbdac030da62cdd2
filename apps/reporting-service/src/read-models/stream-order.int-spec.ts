import { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EventEnvelope, Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { Generations } from '../generations/generations';
import { RebuildRunner } from '../rebuild/rebuild-runner';
import { approvalEnvelopes } from '../testing/approval-events';
import { caseTimelineScenario, CaseTimelineScenario, noticeIdOf } from '../testing/case-timeline-events';
import { publish } from '../testing/published-events';

// A fresh generation, and the rebuild, first read the shared topics' whole history.
jest.setTimeout(400_000);
const CATCH_UP_MS = 300_000;

/*
 * Kafka keeps one partition in order, but a stream can still come out of order: a relay that
 * published a later version first, a re-driven dead letter, a replay. The read models kept a
 * version per row and guarded with `version < $new`, which dropped an event that came after a
 * later one of its stream, for good. The generation's consumer now applies each stream in version
 * order: here each topic carries one stream with a later version ahead of an earlier one.
 */

let service: TestService;
let producer: Producer;

beforeAll(async () => {
  service = await startTestService(AppModule, SERVICE_NAME);
  producer = testKafka('reporting-stream-order-test').producer();
  await producer.connect();
}, SERVICE_START_TIMEOUT_MS);

afterAll(async () => {
  await producer?.disconnect();
  await service?.close();
});

/** The envelopes of a stream by version, in the order given: `inOrder(envelopes, 1, 2, 4, 3)`. */
const inOrder = (envelopes: readonly EventEnvelope<object>[], ...versions: number[]): EventEnvelope<object>[] =>
  versions.map((version) => envelopes.find((envelope) => envelope.streamVersion === version)!);

async function streamVersions(generation: number, streamIds: string[]): Promise<Record<string, number>> {
  const { rows } = await service.db.query<{ stream_id: string; version: number }>(
    `SELECT stream_id, version FROM rm_g${generation}.inbox_stream_versions WHERE stream_id = ANY($1)`,
    [streamIds],
  );
  return Object.fromEntries(rows.map((row) => [row.stream_id, row.version]));
}

async function parkedVersions(generation: number, streamId: string): Promise<number[]> {
  const { rows } = await service.db.query<{ stream_version: number }>(
    `SELECT stream_version FROM rm_g${generation}.inbox_parked WHERE stream_id = $1 ORDER BY stream_version`,
    [streamId],
  );
  return rows.map((row) => row.stream_version);
}

/**
 * Waits until the generation's inbox holds the events: each was then applied, or parked in the
 * same transaction (and an event applies the parked ones that follow it in its own).
 */
async function arrived(generation: number, envelopes: readonly EventEnvelope<object>[], timeoutMs = 60_000): Promise<void> {
  const ids = envelopes.map((envelope) => envelope.eventId);
  await eventually(
    async () =>
      (await service.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM rm_g${generation}.inbox WHERE event_id = ANY($1)`, [ids])).rows[0]?.n ===
      ids.length,
    { timeoutMs, intervalMs: 250, what: `${ids.length} events in the inbox of rm_g${generation}` },
  );
}

/**
 * The rows of a case, its notice and an approval in one generation (processing times left out).
 * A notification-service elsewhere on the shared topics may add notices about our case: the
 * timeline is narrowed to the scenario's own streams.
 */
async function rowsOf(generation: number, scenario: CaseTimelineScenario, approvalId = ''): Promise<Record<string, Record<string, unknown>[]>> {
  const rows = async (sql: string, ...params: unknown[]) =>
    (await service.db.query<Record<string, unknown>>(sql.replaceAll('rm.', `rm_g${generation}.`), params)).rows;
  const { caseId, noticeStreamId } = scenario;
  return {
    cases: await rows('SELECT * FROM rm.cases WHERE case_id = $1', caseId),
    takedownNotices: await rows('SELECT * FROM rm.takedown_notices WHERE case_id = $1', caseId),
    findings: await rows('SELECT * FROM rm.findings WHERE case_id = $1', caseId),
    sanctions: await rows('SELECT * FROM rm.sanctions WHERE case_id = $1', caseId),
    officerHistory: await rows('SELECT * FROM rm.officer_history WHERE case_id = $1 ORDER BY at', caseId),
    notifications: await rows('SELECT * FROM rm.notifications WHERE notification_id = $1', noticeStreamId),
    approvals: (await rows('SELECT * FROM rm.approvals_report WHERE approval_id = $1', approvalId)).map(({ updated_at: _, ...row }) => row),
    timeline: await rows('SELECT * FROM rm.case_timeline WHERE case_id = $1 AND stream_id = ANY($2) ORDER BY stream_id, stream_version', caseId, [
      caseId,
      noticeStreamId,
    ]),
  };
}

const reordered = caseTimelineScenario();
const approval = approvalEnvelopes();
const gap = caseTimelineScenario();

it('applies an event that Kafka carries after a later one of its stream, then the later one: the read models end as if in order', async () => {
  // Case: v4 (removal confirmed) before v3 (the notice it confirms), v7 (closed) before v6 (sanction).
  await publish(producer, Topics.cases, inOrder(reordered.caseEnvelopes, 1, 2, 4, 3, 5, 7, 6));
  // Notice and approval: v2 (sent, granted) before v1 (queued, requested), which creates the row.
  await publish(producer, Topics.notifications, inOrder(reordered.noticeEnvelopes, 2, 1));
  await publish(producer, Topics.approvals, inOrder(approval.envelopes, 2, 1));

  await arrived(1, [...reordered.caseEnvelopes, ...reordered.noticeEnvelopes, ...approval.envelopes], CATCH_UP_MS);

  await expectAppliedInOrder(1);
  expect(await streamVersions(1, [reordered.caseId, reordered.noticeStreamId, approval.approvalId])).toEqual({
    [reordered.caseId]: 7,
    [reordered.noticeStreamId]: 2,
    [approval.approvalId]: 2,
  });
  for (const streamId of [reordered.caseId, reordered.noticeStreamId, approval.approvalId]) expect(await parkedVersions(1, streamId)).toEqual([]);
});

/** The reordered case, its notice and the approval as if every event had come in order. */
async function expectAppliedInOrder(generation: number): Promise<void> {
  const rows = await rowsOf(generation, reordered, approval.approvalId);
  expect(rows['cases']).toEqual([
    expect.objectContaining({
      status: 'closed',
      stage: 'sanctioned',
      sanction: 'censure',
      finding_outcome: 'substantiated',
      takedown_notice_id: noticeIdOf(reordered.caseId),
      version: 7,
    }),
  ]);
  expect(rows['takedownNotices']).toEqual([
    expect.objectContaining({ notice_id: noticeIdOf(reordered.caseId), within_deadline: true, removed_at: new Date('2026-03-07T09:00:00.000Z') }),
  ]);
  expect(rows['sanctions']).toEqual([expect.objectContaining({ imposed: 'censure', standing: 'censure', version: 6 })]);
  expect(rows['findings']).toHaveLength(1);
  expect(rows['officerHistory']!.map((row) => row['type'])).toEqual(['ViolationReported', 'FindingRecorded', 'SanctionImposed', 'CaseClosed']);
  expect(rows['notifications']).toEqual([expect.objectContaining({ status: 'sent', attempts: 1, version: 2 })]);
  expect(rows['approvals']).toEqual([
    expect.objectContaining({ status: 'granted', decided_at: new Date('2026-03-02T09:00:00.000Z'), last_stream_version: 2 }),
  ]);
  expect(rows['timeline']).toHaveLength(9);
}

it('keeps a case whose v3 has not come at v2, its later events parked in sight and on the timeline, and applies them all once v3 comes', async () => {
  const [v3, ...others] = inOrder(gap.caseEnvelopes, 3, 1, 2, 4, 5, 6, 7);
  await publish(producer, Topics.cases, others);
  await arrived(1, others);

  const waiting = await rowsOf(1, gap);
  expect(waiting['cases']).toEqual([expect.objectContaining({ status: 'open', stage: 'investigating', takedown_notice_id: null, version: 2 })]);
  expect(waiting['takedownNotices']).toEqual([]);
  expect(await parkedVersions(1, gap.caseId)).toEqual([4, 5, 6, 7]);
  // The trail records what arrived: the verification calls the stream incomplete meanwhile.
  expect(waiting['timeline']!.map((row) => row['stream_version'])).toEqual([1, 2, 4, 5, 6, 7]);

  await publish(producer, Topics.cases, [v3!]);
  await arrived(1, [v3!]);
  expect(await parkedVersions(1, gap.caseId)).toEqual([]);
  expect(await streamVersions(1, [gap.caseId])).toEqual({ [gap.caseId]: 7 });
  const done = await rowsOf(1, gap);
  expect(done['cases']).toEqual([
    expect.objectContaining({ status: 'closed', stage: 'sanctioned', takedown_notice_id: noticeIdOf(gap.caseId), version: 7 }),
  ]);
  expect(done['takedownNotices']).toEqual([expect.objectContaining({ notice_id: noticeIdOf(gap.caseId), within_deadline: true })]);
  expect(done['timeline']).toHaveLength(7);
});

it('a rebuild reads the same out-of-order streams in stream order too: the new generation holds the same rows', async () => {
  const rebuild = new RebuildRunner({
    dataSource: service.app.get(DataSource),
    generations: service.app.get(Generations),
    kafka: service.app.get(Kafka),
    groupPrefix: process.env['KAFKA_GROUP_PREFIX'],
  });
  expect(await rebuild.run()).toMatchObject({ generation: 2, status: 'active' });

  await expectAppliedInOrder(2);
  expect(await rowsOf(2, reordered, approval.approvalId)).toEqual(await rowsOf(1, reordered, approval.approvalId));
  expect(await rowsOf(2, gap)).toEqual(await rowsOf(1, gap));
  expect(await streamVersions(2, [reordered.caseId, reordered.noticeStreamId, approval.approvalId, gap.caseId])).toEqual({
    [reordered.caseId]: 7,
    [reordered.noticeStreamId]: 2,
    [approval.approvalId]: 2,
    [gap.caseId]: 7,
  });
});
