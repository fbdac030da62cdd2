import { randomBytes, randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { EventEnvelope, toKafkaMessage, Topics } from '@conduct/messaging';

/**
 * Events as approval-service's and violation-service's relays put them on Kafka, for the
 * notification-service tests: one case (or approval) per call, with its own ids, officer and unit,
 * so tests sharing the topics never see each other's notices.
 */
export interface CaseFixture {
  caseId: string;
  unitId: string;
  serviceNumber: string;
  officerName: string;
  jurisdiction: { province: string; range: string; district: string; unitId: string };
  versions: number;
}

export const newCase = (unitId: string, serviceNumber = `KHI-${randomBytes(3).toString('hex')}`): CaseFixture => ({
  caseId: randomUUID(),
  unitId,
  serviceNumber,
  officerName: 'Imran Ali',
  jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId },
  versions: 0,
});

export function envelope(
  type: string,
  streamId: string,
  streamType: string,
  streamVersion: number,
  data: object,
  jurisdiction?: EventEnvelope['jurisdiction'],
): EventEnvelope {
  const now = new Date().toISOString();
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    streamId,
    streamType,
    streamVersion,
    occurredAt: now,
    recordedAt: now,
    actor: { id: 'ia-rashid', role: 'IA_INVESTIGATOR' },
    correlationId: `notice-it-${streamId}`,
    ...(jurisdiction ? { jurisdiction } : {}),
    data: data as Record<string, unknown>,
    prevHash: '0'.repeat(64),
    hash: randomBytes(32).toString('hex'),
  };
}

/** The next event of the case's stream. */
export const caseEvent = (fixture: CaseFixture, type: string, data: object): EventEnvelope =>
  envelope(type, fixture.caseId, 'case', ++fixture.versions, { caseId: fixture.caseId, ...data }, fixture.jurisdiction);

export const violationReported = (fixture: CaseFixture, escalationLevel = 'SSP'): EventEnvelope =>
  caseEvent(fixture, 'ViolationReported', {
    officer: { serviceNumber: fixture.serviceNumber, name: fixture.officerName, rank: 'Constable', unitId: fixture.unitId },
    jurisdiction: fixture.jurisdiction,
    platform: 'tiktok',
    contentUrl: `https://www.tiktok.com/@imran.ali/video/${fixture.caseId}`,
    conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: false },
    evidence: {
      evidenceId: 'ev-1',
      sha256: 'a'.repeat(64),
      capturedAt: '2026-03-02T09:30:00.000Z',
      capturedBy: 'ia-rashid',
      archiveLocation: 's3://conduct-evidence/ev-1',
    },
    observedAt: '2026-03-01T10:00:00.000Z',
    becameKnownAt: '2026-03-02T09:00:00.000Z',
    onDuty: true,
    description: 'Video filmed in uniform',
    policy: { packId: 'sindh', version: 2, clauses: ['SND-1'] },
    escalationLevel,
    reportedBy: 'ia-rashid',
    reportedAt: '2026-03-03T09:00:00.000Z',
  });

export const takedownNoticeIssued = (
  fixture: CaseFixture,
  issuedAt: string,
  dueAt: string,
  noticeId = `notice-${randomBytes(3).toString('hex')}`,
): EventEnvelope =>
  caseEvent(fixture, 'TakedownNoticeIssued', {
    noticeId,
    contentUrl: `https://www.tiktok.com/@imran.ali/video/${fixture.caseId}`,
    servedOn: fixture.serviceNumber,
    servedAt: issuedAt,
    dueAt,
    issuedBy: 'ia-rashid',
    issuedAt,
  });

/** A show-cause notice (due process before a major penalty) served on the case's officer. */
export const showCauseNoticeIssued = (
  fixture: CaseFixture,
  servedAt: string,
  replyDueAt: string,
  showCauseId = `show-cause-${randomBytes(3).toString('hex')}`,
): EventEnvelope =>
  caseEvent(fixture, 'ShowCauseNoticeIssued', {
    showCauseId,
    servedOn: fixture.serviceNumber,
    grounds: ['Filmed a video in uniform without approval', 'Did not remove it when served a takedown notice'],
    proposedSanction: 'dismissal',
    servedAt,
    replyDueAt,
    issuedBy: 'da-south',
    issuedAt: servedAt,
  });

export const approvalEvent = (approvalId: string, version: number, type: string, data: object): EventEnvelope =>
  envelope(type, approvalId, 'approval', version, { approvalId, ...data }, { province: 'sindh', district: 'karachi-south', unitId: 'media-south' });

export const approvalRequested = (approvalId: string, requesterId: string, unitId: string, title: string): EventEnvelope =>
  approvalEvent(approvalId, 1, 'ApprovalRequested', {
    requester: { id: requesterId, unitId },
    jurisdiction: { province: 'sindh', district: 'karachi-south', unitId },
    platform: 'facebook',
    officialAccountId: 'acct-1',
    title,
    description: 'Eid greetings from the station',
    mediaSha256: 'b'.repeat(64),
    features: ['uniform'],
    intendedPublicationAt: '2026-03-10T09:00:00.000Z',
    requestedAt: '2026-03-03T09:00:00.000Z',
    policy: { packId: 'sindh', version: 2, clauses: ['SND-1'] },
  });

/** Publishes envelopes on their topic in order (key = stream id, as the relays do). */
export async function publish(producer: Producer, topic: (typeof Topics)[keyof typeof Topics], ...envelopes: EventEnvelope[]): Promise<void> {
  await producer.send({ topic, messages: envelopes.map((item) => toKafkaMessage(item)) });
}
