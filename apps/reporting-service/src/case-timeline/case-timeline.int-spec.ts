import request from 'supertest';
import { Producer } from 'kafkajs';
import { Role } from '@conduct/auth';
import { Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { caseTimelineScenario, CaseTimelineScenario } from '../testing/case-timeline-events';
import { publish } from '../testing/published-events';
import { CaseTimeline } from './case-timeline.query';

// A fresh generation first reads the shared topics' whole history (thousands of events from all test runs).
jest.setTimeout(240_000);
const CATCH_UP_MS = 180_000;

/*
 * The case timeline end to end inside reporting-service: envelopes with real hash chains published
 * on the real topics, projected into the active generation in real PostgreSQL, read over HTTP.
 * A notification-service running elsewhere on the shared topics may add notices of its own about
 * our cases: assertions look at the scenario's streams (`ours`).
 */

let service: TestService;
let producer: Producer;

beforeAll(async () => {
  service = await startTestService(AppModule, SERVICE_NAME);
  producer = testKafka('reporting-timeline-test').producer();
  await producer.connect();
}, SERVICE_START_TIMEOUT_MS);

afterAll(async () => {
  await producer?.disconnect();
  await service?.close();
});

const token = (role: Role, scope: Record<string, string> = { province: 'sindh' }) =>
  service.token({ subject: `${role.toLowerCase()}-1`, roles: [role], scope });
const getTimeline = (caseId: string, auth: string) =>
  request(service.app.getHttpServer()).get(`/cases/${caseId}/timeline`).set('Authorization', `Bearer ${auth}`);

async function publishScenario(scenario: CaseTimelineScenario): Promise<void> {
  await publish(producer, Topics.cases, scenario.caseEnvelopes);
  await publish(producer, Topics.notifications, scenario.noticeEnvelopes);
}

/** The timeline restricted to the scenario's own streams. */
function ours(timeline: CaseTimeline, scenario: CaseTimelineScenario): CaseTimeline {
  const streams = new Set([scenario.caseId, scenario.noticeStreamId]);
  return {
    ...timeline,
    events: timeline.events.filter((e) => streams.has(e.streamId)),
    verification: { ...timeline.verification, streams: timeline.verification.streams.filter((v) => streams.has(v.streamId)) },
  };
}

/** Waits until the timeline holds `count` events of the scenario and returns them as `role` sees them. */
async function timelineWith(scenario: CaseTimelineScenario, count: number, role: Role = 'HQ_ANALYST'): Promise<CaseTimeline> {
  return eventually(
    async () => {
      const response = await getTimeline(scenario.caseId, token(role));
      const timeline = response.status === 200 && ours(response.body as CaseTimeline, scenario);
      return timeline && timeline.events.length === count && timeline;
    },
    { timeoutMs: CATCH_UP_MS, intervalMs: 250, what: `${count} events on the timeline of ${scenario.caseId}` },
  );
}

const rows = async (scenario: CaseTimelineScenario) =>
  (
    await service.db.query('SELECT * FROM rm_g1.case_timeline WHERE stream_id = ANY($1) ORDER BY event_id', [
      [scenario.caseId, scenario.noticeStreamId],
    ])
  ).rows as unknown[];

it("lists a case's events and its notice's in time order with actor, summary and reasons, and finds both chains intact", async () => {
  const scenario = caseTimelineScenario();
  await publishScenario(scenario);

  const timeline = await timelineWith(scenario, 9);

  expect(timeline.events.map((e) => [e.type, e.streamVersion, e.actor.id])).toEqual([
    ['ViolationReported', 1, 'ia-rashid'],
    ['InvestigatorAssigned', 2, 'da-south'],
    ['TakedownNoticeIssued', 3, 'ia-rashid'],
    ['NotificationQueued', 1, 'notification-service'],
    ['NotificationSent', 2, 'notification-service'],
    ['ContentRemovalConfirmed', 4, 'ia-rashid'],
    ['FindingRecorded', 5, 'ia-rashid'],
    ['SanctionImposed', 6, 'da-south'],
    ['CaseClosed', 7, 'da-south'],
  ]);
  const sanction = timeline.events.find((e) => e.type === 'SanctionImposed')!;
  expect(sanction).toMatchObject({
    summary: 'Sanction imposed: censure (minor): First breach, removed in time.',
    reasons: ['First breach, removed in time.'],
    occurredAt: scenario.caseEnvelopes[5]!.occurredAt,
    hash: scenario.caseEnvelopes[5]!.hash,
  });
  expect(timeline.verification).toEqual({
    intact: expect.any(Boolean) as boolean,
    streams: [
      { streamId: scenario.caseId, streamType: 'case', status: 'intact', eventsChecked: 7 },
      { streamId: scenario.noticeStreamId, streamType: 'notification', status: 'intact', eventsChecked: 2 },
    ],
  });
  expect(Object.keys(timeline.positions)).toEqual(expect.arrayContaining([Topics.cases, Topics.notifications]));

  // Each row keeps where on Kafka its event was read from: the inbox's record of that message.
  const origins = await service.db.query<{ topic: string; partition: number; offset: string; inbox: string }>(
    `SELECT t.topic, t.partition, t."offset", i.topic || '/' || i.partition || '@' || i."offset" AS inbox
       FROM rm_g1.case_timeline t JOIN rm_g1.inbox i ON i.event_id = t.event_id
      WHERE t.stream_id = ANY($1)`,
    [[scenario.caseId, scenario.noticeStreamId]],
  );
  expect(origins.rows).toHaveLength(9);
  for (const { topic, partition, offset, inbox } of origins.rows) expect(`${topic}/${partition}@${offset}`).toBe(inbox);
  expect(new Set(origins.rows.map((row) => row.topic))).toEqual(new Set([Topics.cases, Topics.notifications]));
});

it('shows officer names only to roles that may see them, hides the case outside the scope and refuses INTEGRATION', async () => {
  const scenario = caseTimelineScenario();
  await publishScenario(scenario);
  const analystView = await timelineWith(scenario, 9, 'HQ_ANALYST');
  const namesOf = (timeline: CaseTimeline) => [
    (timeline.events[0]!.data as { officer: { name: string | null } }).officer.name,
    (timeline.events.find((e) => e.type === 'NotificationQueued')!.data as { recipient: { name: string | null } }).recipient.name,
  ];

  expect(namesOf(analystView)).toEqual([null, null]);
  // The answer says what it left out: names, the notice's address and its subject (which names the officer).
  expect(analystView.redacted).toEqual(['[].data.officer.name', '[].data.recipient.address', '[].data.recipient.name', '[].data.subject']);
  const noticeData = analystView.events.find((e) => e.type === 'NotificationQueued')!.data as {
    recipient: { address: string | null };
    subject: string | null;
  };
  expect([noticeData.recipient.address, noticeData.subject]).toEqual([null, null]);
  expect((analystView.events[0]!.data as { officer: object }).officer).toMatchObject({ serviceNumber: 'KHI-40172', rank: 'Constable' });
  // The hash covers the names: redaction happens after verification, which still passes.
  expect(analystView.verification.streams.map((stream) => stream.status)).toEqual(['intact', 'intact']);
  for (const role of ['IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY', 'ADMIN'] as const) {
    const response = await getTimeline(scenario.caseId, token(role)).expect(200);
    expect(namesOf(ours(response.body as CaseTimeline, scenario))).toEqual(['Imran Ali', 'Imran Ali']);
    expect(response.body).not.toHaveProperty('redacted');
  }
  await getTimeline(scenario.caseId, token('HQ_ANALYST', {})).expect(200);
  await getTimeline(scenario.caseId, token('HQ_ANALYST', { province: 'punjab' })).expect(404);
  await getTimeline(scenario.caseId, token('IA_INVESTIGATOR', { province: 'sindh', district: 'hyderabad' })).expect(404);
  await getTimeline(scenario.caseId, token('INTEGRATION')).expect(403);
  await getTimeline(scenario.caseId, token('OFFICER')).expect(403);
  await getTimeline('00000000-0000-4000-8000-00000000dead', token('HQ_ANALYST')).expect(404);
  await getTimeline('not-a-uuid', token('HQ_ANALYST')).expect(400);
});

it('gives the officer a case is about the reduced view, even when they hold an investigator role', async () => {
  const scenario = caseTimelineScenario();
  await publishScenario(scenario);
  await timelineWith(scenario, 9);
  const asOfficer = (serviceNumber: string) =>
    service.token({ subject: 'imran-ali', roles: ['IA_INVESTIGATOR'], scope: { province: 'sindh' }, serviceNumber });

  const own = ours((await getTimeline(scenario.caseId, asOfficer('KHI-40172')).expect(200)).body as CaseTimeline, scenario);
  expect(own.redacted).toEqual(expect.arrayContaining(['[].data.evidence.archiveLocation', '[].data.investigatorId']));
  const evidence = own.events.find((e) => e.type === 'ViolationReported')!.data as { evidence: { archiveLocation: string | null; sha256: string } };
  expect(evidence.evidence).toMatchObject({ archiveLocation: null, sha256: 'b'.repeat(64) });
  expect((own.events.find((e) => e.type === 'InvestigatorAssigned')!.data as { investigatorId: string | null }).investigatorId).toBeNull();
  expect(own.verification.streams.map((stream) => stream.status)).toEqual(['intact', 'intact']);

  // Another investigator with the same role sees the whole case.
  const colleague = (await getTimeline(scenario.caseId, asOfficer('KHI-99999')).expect(200)).body as CaseTimeline;
  expect(colleague).not.toHaveProperty('redacted');
  expect(
    (ours(colleague, scenario).events.find((e) => e.type === 'InvestigatorAssigned')!.data as { investigatorId: string }).investigatorId,
  ).toEqual(expect.any(String));
});

it('changes nothing when the same messages are delivered again (replay)', async () => {
  const scenario = caseTimelineScenario();
  await publishScenario(scenario);
  const first = await timelineWith(scenario, 9);
  const before = await rows(scenario);

  await publishScenario(scenario);
  // A later event of the same streams (same keys, same partitions): once it shows, the replay was processed.
  const marker = caseTimelineScenario();
  const next = {
    ...marker.noticeEnvelopes[0]!,
    streamId: scenario.noticeStreamId,
    data: { ...marker.noticeEnvelopes[0]!.data, caseId: scenario.caseId },
  };
  await publish(producer, Topics.notifications, [next]);
  await eventually(async () => (await service.db.query('SELECT 1 FROM rm_g1.inbox WHERE event_id = $1', [next.eventId])).rowCount === 1, {
    timeoutMs: CATCH_UP_MS,
    intervalMs: 250,
    what: 'the event after the replay',
  });

  const after = (await rows(scenario)).filter((row) => (row as { event_id: string }).event_id !== next.eventId);
  expect(after).toEqual(before);
  const { rows: inbox } = await service.db.query<{ count: number }>('SELECT count(*)::int AS count FROM rm_g1.inbox WHERE stream_id = ANY($1)', [
    [scenario.caseId, scenario.noticeStreamId],
  ]);
  expect(inbox).toEqual([{ count: 10 }]);
  const again = ours((await getTimeline(scenario.caseId, token('HQ_ANALYST')).expect(200)).body as CaseTimeline, scenario);
  expect(again.events.filter((e) => e.eventId !== next.eventId)).toEqual(first.events);
});

it('says tampered, at the version, when a message carries data edited after hashing; incomplete when a version is missing', async () => {
  const tampered = caseTimelineScenario({ tamperVersion: 5 });
  const gap = caseTimelineScenario({ dropVersion: 3 });
  await publishScenario(tampered);
  await publishScenario(gap);

  const tamperedTimeline = await timelineWith(tampered, 9);
  const gapTimeline = await timelineWith(gap, 8);

  expect(tamperedTimeline.verification.intact).toBe(false);
  expect(tamperedTimeline.verification.streams).toEqual([
    { streamId: tampered.caseId, streamType: 'case', status: 'tampered', eventsChecked: 5, brokenAt: { streamVersion: 5, reason: 'hash-mismatch' } },
    { streamId: tampered.noticeStreamId, streamType: 'notification', status: 'intact', eventsChecked: 2 },
  ]);
  expect(gapTimeline.verification.streams[0]).toEqual({
    streamId: gap.caseId,
    streamType: 'case',
    status: 'incomplete',
    eventsChecked: 3,
    brokenAt: { streamVersion: 4, reason: 'version-gap' },
    missing: { fromVersion: 3, toVersion: 3 },
  });
});

it('records who read a timeline and who exported a report as CSV (not a JSON read) in the access log', async () => {
  const scenario = caseTimelineScenario();
  await publishScenario(scenario);
  await timelineWith(scenario, 9, 'HQ_ANALYST');
  const http = () => request(service.app.getHttpServer());
  const analyst = token('HQ_ANALYST');
  const admin = service.token({ subject: 'admin-1', roles: ['ADMIN'], scope: {} });
  const exportedBy = `exporter-${scenario.caseId.slice(0, 8)}`;
  const exporter = service.token({ subject: exportedBy, roles: ['HQ_ANALYST'], scope: { province: 'sindh' } });
  await http().get('/reports/cases').set('Authorization', `Bearer ${exporter}`).expect(200);
  const csv = await http().get('/reports/cases?format=csv').set('Authorization', `Bearer ${exporter}`).expect(200);
  expect(csv.headers['content-type']).toMatch(/^text\/csv/);

  const investigator = token('IA_INVESTIGATOR');
  const reads = (
    await http().get(`/access-log?caseId=${scenario.caseId}&action=case.timeline`).set('Authorization', `Bearer ${investigator}`).expect(200)
  ).body as { items: { subject: string; scope: object }[] };
  expect(reads.items.length).toBeGreaterThan(0);
  expect(reads.items.every((item) => item.subject === 'hq_analyst-1')).toBe(true);
  expect(reads.items[0]!.scope).toEqual({ province: 'sindh' });
  await http()
    .get(`/access-log?caseId=${scenario.caseId}`)
    .set('Authorization', `Bearer ${token('IA_INVESTIGATOR', { province: 'punjab' })}`)
    .expect(404);
  await http().get(`/access-log?caseId=${scenario.caseId}`).set('Authorization', `Bearer ${analyst}`).expect(403);

  const exports = (await http().get(`/access-log?subject=${exportedBy}`).set('Authorization', `Bearer ${admin}`).expect(200)).body as {
    items: { action: string; resource: string; caseId: string | null }[];
  };
  expect(exports.items).toEqual([expect.objectContaining({ action: 'report.csv', resource: '/reports/cases?format=csv', caseId: null })]);
});
