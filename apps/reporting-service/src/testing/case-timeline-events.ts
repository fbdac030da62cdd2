import { randomUUID } from 'node:crypto';
import { EventMetadata } from '@conduct/event-store';
import { EventEnvelope } from '@conduct/messaging';
import { chainedEnvelopes, StreamEvent } from './published-events';

export const KARACHI_SOUTH = { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' };
const HOUR = 3_600_000;

const INVESTIGATOR = { id: 'ia-rashid', role: 'IA_INVESTIGATOR' };
const AUTHORITY = { id: 'da-south', role: 'DISCIPLINARY_AUTHORITY' };
const OFFICER = { serviceNumber: 'KHI-40172', name: 'Imran Ali', rank: 'Constable', unitId: 'ps-clifton' };

/** The case's takedown notice: notice ids are keys of the read models, so one per case. */
export const noticeIdOf = (caseId: string): string => `notice-${caseId}`;

/** Report → assignment → takedown notice → removal → substantiated finding → censure → closure, as conduct.cases.v1 carries them. */
function decidedCase(caseId: string, officer = OFFICER): { type: string; data: object; actor: EventMetadata['actor'] }[] {
  const noticeId = noticeIdOf(caseId);
  const by = (actor: EventMetadata['actor']) => (type: string, data: object) => ({ type, data: { caseId, ...data }, actor });
  const investigator = by(INVESTIGATOR);
  const authority = by(AUTHORITY);
  return [
    investigator('ViolationReported', {
      officer,
      jurisdiction: KARACHI_SOUTH,
      platform: 'tiktok',
      contentUrl: 'https://www.tiktok.com/@imran.ali/video/7301',
      conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: true },
      evidence: {
        evidenceId: 'ev-capture',
        sha256: 'b'.repeat(64),
        capturedAt: '2026-03-02T09:30:00.000Z',
        capturedBy: INVESTIGATOR.id,
        archiveLocation: 's3://evidence/ev-capture',
      },
      observedAt: '2026-03-01T10:00:00.000Z',
      becameKnownAt: '2026-03-02T09:00:00.000Z',
      onDuty: true,
      description: 'Video filmed in uniform inside the station, posted without pre-approval.',
      policy: { packId: 'sindh', version: 2, clauses: ['SND-1'] },
      escalationLevel: 'SSP',
      reportedBy: INVESTIGATOR.id,
      reportedAt: '2026-03-06T09:00:00.000Z',
    }),
    authority('InvestigatorAssigned', { investigatorId: INVESTIGATOR.id, assignedBy: AUTHORITY.id, assignedAt: '2026-03-06T10:00:00.000Z' }),
    investigator('TakedownNoticeIssued', {
      noticeId,
      contentUrl: 'https://www.tiktok.com/@imran.ali/video/7301',
      servedOn: officer.serviceNumber,
      servedAt: '2026-03-06T11:00:00.000Z',
      dueAt: '2026-03-08T11:00:00.000Z',
      issuedBy: INVESTIGATOR.id,
      issuedAt: '2026-03-06T11:00:00.000Z',
    }),
    investigator('ContentRemovalConfirmed', {
      noticeId,
      verifiedBy: INVESTIGATOR.id,
      verifiedAt: '2026-03-07T09:00:00.000Z',
      withinDeadline: true,
      recordedAt: '2026-03-07T09:05:00.000Z',
    }),
    investigator('FindingRecorded', {
      outcome: 'substantiated',
      clauses: ['SND-1'],
      appealableUntil: '2026-04-19T09:00:00.000Z',
      reasons: ['Filmed in uniform on duty.'],
      recordedBy: INVESTIGATOR.id,
      recordedAt: '2026-03-20T09:00:00.000Z',
    }),
    authority('SanctionImposed', {
      sanction: 'censure',
      severity: 'minor',
      reasons: ['First breach, removed in time.'],
      imposedBy: AUTHORITY.id,
      imposedAt: '2026-03-25T09:00:00.000Z',
      appealableUntil: '2026-04-24T09:00:00.000Z',
    }),
    authority('CaseClosed', { reasons: ['Sanction accepted.'], closedBy: AUTHORITY.id, closedAt: '2026-05-01T09:00:00.000Z' }),
  ];
}

const metadata = (actor: EventMetadata['actor'], occurredAt: string, correlationId: string): EventMetadata => ({
  actor,
  correlationId,
  occurredAt,
  jurisdiction: KARACHI_SOUTH,
});

export interface CaseTimelineScenario {
  caseId: string;
  noticeStreamId: string;
  /** The case's stream as violation-service publishes it (the real decider's events, hashed). */
  caseEnvelopes: EventEnvelope<object>[];
  /** One takedown notice to the officer: queued, then sent. */
  noticeEnvelopes: EventEnvelope<object>[];
}

/**
 * A case reported in Karachi South and decided (see decidedCase), with a fresh case id so other
 * runs' events on the shared topics never mix in, plus the takedown notice notification-service
 * sends about it.
 * `tamper` edits the data of one version after hashing: what a changed database row would publish.
 * `serviceNumber` names another officer than Imran Ali's KHI-40172, whom every other run's cases are about.
 */
export function caseTimelineScenario(options: { tamperVersion?: number; dropVersion?: number; serviceNumber?: string } = {}): CaseTimelineScenario {
  const caseId = randomUUID();
  const correlationId = `corr-${caseId}`;
  const start = Date.parse('2026-03-06T09:00:00.000Z');
  const officer = options.serviceNumber ? { ...OFFICER, serviceNumber: options.serviceNumber } : OFFICER;
  const events: StreamEvent[] = decidedCase(caseId, officer).map((event, index) => ({
    type: event.type,
    data: event.data,
    metadata: metadata(event.actor, new Date(start + index * HOUR).toISOString(), correlationId),
  }));
  let caseEnvelopes = chainedEnvelopes({ streamId: caseId, streamType: 'case' }, events);
  if (options.tamperVersion !== undefined) {
    caseEnvelopes = caseEnvelopes.map((envelope) =>
      envelope.streamVersion === options.tamperVersion ? { ...envelope, data: { ...envelope.data, tampered: 'edited after hashing' } } : envelope,
    );
  }
  if (options.dropVersion !== undefined) caseEnvelopes = caseEnvelopes.filter((envelope) => envelope.streamVersion !== options.dropVersion);

  const noticeStreamId = randomUUID();
  const notificationService = { id: 'notification-service', role: 'SYSTEM' };
  const issued = caseEnvelopes.find((envelope) => envelope.type === 'TakedownNoticeIssued');
  const noticeAt = (minutes: number) => new Date(start + 2 * HOUR + minutes * 60_000).toISOString();
  const noticeEnvelopes = chainedEnvelopes({ streamId: noticeStreamId, streamType: 'notification' }, [
    {
      type: 'NotificationQueued',
      data: {
        notificationId: noticeStreamId,
        kind: 'takedown-notice',
        channel: 'email',
        caseId,
        noticeId: noticeIdOf(caseId),
        recipient: { role: 'OFFICER', id: 'KHI-40172', name: 'Imran Ali', address: 'khi-40172@police.example', language: 'ur' },
        subject: 'Takedown notice',
        sourceEventId: issued?.eventId ?? randomUUID(),
        sourceEventType: 'TakedownNoticeIssued',
        sendAfter: noticeAt(1),
        queuedAt: noticeAt(1),
      },
      metadata: metadata(notificationService, noticeAt(1), correlationId),
    },
    {
      type: 'NotificationSent',
      data: { notificationId: noticeStreamId, caseId, attempt: 1, messageId: `<${noticeStreamId}@conduct>`, sentAt: noticeAt(2) },
      metadata: metadata(notificationService, noticeAt(2), correlationId),
    },
  ]);
  return { caseId, noticeStreamId, caseEnvelopes, noticeEnvelopes };
}
