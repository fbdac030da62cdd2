import { randomBytes, randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { EventEnvelope, toKafkaMessage, Topics } from '@conduct/messaging';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import { http, people, reportCase, violationReport } from '../testing/case-fixtures';
import { COVERAGE_MATCHER } from './coverage-recorder';

interface CaseView {
  file: { coveringApprovalIds: string[] };
}
interface CoverageRow {
  type: string;
  data: { approvalId: string; accountId: string; mediaSha256: string; publishedAt: string };
  metadata: { actor: { id: string } };
}

const newSha256 = (): string => randomBytes(32).toString('hex');

/** ContentPublished as approval-service's relay puts it on conduct.approvals.v1. */
function contentPublished(approvalId: string, mediaSha256: string): EventEnvelope {
  const now = new Date().toISOString();
  const actor = { id: 'media-south', role: 'MEDIA_TEAM' };
  return {
    eventId: randomUUID(),
    type: 'ContentPublished',
    schemaVersion: 1,
    streamId: approvalId,
    streamType: 'approval',
    streamVersion: 3,
    occurredAt: now,
    recordedAt: now,
    actor,
    correlationId: `coverage-it-${approvalId}`,
    jurisdiction: { province: 'sindh', district: 'karachi-south' },
    data: {
      approvalId,
      url: `https://www.tiktok.com/@sindhpolice/video/${approvalId}`,
      officialAccountId: 'acct-sindh-police-tiktok',
      mediaSha256,
      publishedAt: '2026-11-20T10:00:00.000Z',
      recordedBy: 'media-south',
      recordedAt: now,
    },
    prevHash: '0'.repeat(64),
    hash: randomBytes(32).toString('hex'),
  };
}

describe('approval coverage from the approvals read model (real PostgreSQL and Kafka)', () => {
  let service: TestService;
  let producer: Producer;
  let api: ReturnType<typeof http>;
  let investigator: string;

  beforeAll(async () => {
    service = await startTestService(AppModule, SERVICE_NAME);
    api = http(service);
    investigator = people(service).investigator;
    producer = testKafka().producer();
    await producer.connect();
  }, SERVICE_START_TIMEOUT_MS);
  afterAll(async () => {
    await producer?.disconnect();
    await service?.close();
  });

  const publish = async (approvalId: string, sha256: string): Promise<EventEnvelope> => {
    const envelope = contentPublished(approvalId, sha256);
    await producer.send({ topic: Topics.approvals, messages: [toKafkaMessage(envelope)] });
    return envelope;
  };
  /** Waits until a query returns at least one row (eventually() retries until the probe is truthy). */
  const rowsAppear = (sql: string, values: unknown[], what: string) =>
    eventually(async () => ((await service.db.query(sql, values)).rowCount ?? 0) > 0, { what });
  const applied = (consumer: string, envelope: EventEnvelope) =>
    rowsAppear('SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2', [consumer, envelope.eventId], `${consumer} to apply ${envelope.type}`);
  const coveredBy = (caseId: string, approvalId: string) =>
    eventually(async () => (await coveringApprovals(caseId)).includes(approvalId), { what: `coverage by ${approvalId}` });
  const reportWithEvidence = (sha256: string) => {
    const report = violationReport();
    return reportCase(service, { ...report, evidence: { ...report.evidence, sha256 } });
  };
  const coverageOf = async (caseId: string): Promise<CoverageRow[]> =>
    (
      await service.db.query<CoverageRow>(
        `SELECT type, data, metadata FROM events WHERE stream_id = $1 AND type = 'ApprovalCoverageFound' ORDER BY stream_version`,
        [caseId],
      )
    ).rows;
  const coveringApprovals = async (caseId: string): Promise<string[]> =>
    ((await api.get(`/cases/${caseId}`, investigator).expect(200)).body as CaseView).file.coveringApprovalIds;

  it('records coverage on a case reported with media already published through an official account', async () => {
    const sha256 = newSha256();
    const approvalId = `apr-${randomUUID()}`;
    await publish(approvalId, sha256);
    await rowsAppear('SELECT 1 FROM published_media WHERE media_sha256 = $1', [sha256], 'the publication in published_media');

    const caseId = await reportWithEvidence(sha256);

    await coveredBy(caseId, approvalId);
    expect(await coveringApprovals(caseId)).toEqual([approvalId]);
    const coverage = await coverageOf(caseId);
    expect(coverage).toHaveLength(1);
    expect(coverage[0]).toMatchObject({
      data: { approvalId, accountId: 'acct-sindh-police-tiktok', mediaSha256: sha256, publishedAt: '2026-11-20T10:00:00.000Z' },
      metadata: { actor: { id: COVERAGE_MATCHER.subject } },
    });
  });

  it('records coverage when the publication arrives after the case, once, however often it is redelivered', async () => {
    const sha256 = newSha256();
    const caseId = await reportWithEvidence(sha256);
    await rowsAppear('SELECT 1 FROM case_evidence WHERE case_id = $1 AND sha256 = $2', [caseId, sha256], 'the case evidence');
    expect(await coveringApprovals(caseId)).toEqual([]);

    const approvalId = `apr-${randomUUID()}`;
    await publish(approvalId, sha256);
    await coveredBy(caseId, approvalId);

    // A second delivery of the same publication (a new event id, so past the inbox) changes nothing.
    await applied('published-media', await publish(approvalId, sha256));
    expect((await coverageOf(caseId)).map((row) => row.data.approvalId)).toEqual([approvalId]);
  });

  it('leaves a case whose media matches no publication uncovered', async () => {
    const caseId = await reportWithEvidence(newSha256());
    await applied('published-media', await publish(`apr-${randomUUID()}`, newSha256()));
    await rowsAppear('SELECT 1 FROM case_evidence WHERE case_id = $1', [caseId], 'the case evidence');
    expect(await coveringApprovals(caseId)).toEqual([]);
    expect(await coverageOf(caseId)).toEqual([]);
  });
});
