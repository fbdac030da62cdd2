import { randomUUID } from 'node:crypto';
import { EventMetadata } from '@conduct/event-store';
import { EventEnvelope } from '@conduct/messaging';
import { chainedEnvelopes } from './published-events';

const jurisdiction = { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' };
const metadata = (actor: EventMetadata['actor'], occurredAt: string): EventMetadata => ({
  actor,
  correlationId: `corr-${randomUUID()}`,
  occurredAt,
  jurisdiction,
});

/** An approval request of ps-clifton, granted (or only requested), as approval-service publishes it. */
export function approvalEnvelopes(options: { granted?: boolean; title?: string } = {}): { approvalId: string; envelopes: EventEnvelope<object>[] } {
  const approvalId = randomUUID();
  const requester = { id: 'KHI-40172', role: 'OFFICER', unitId: 'ps-clifton' };
  const requested = {
    type: 'ApprovalRequested',
    data: {
      approvalId,
      requester: { id: requester.id, unitId: requester.unitId },
      jurisdiction,
      platform: 'facebook',
      officialAccountId: randomUUID(),
      title: options.title ?? 'Community policing day at Clifton',
      description: 'Photos of the open day, officers in uniform.',
      mediaSha256: 'a'.repeat(64),
      features: ['uniform'],
      intendedPublicationAt: '2026-03-10T09:00:00.000Z',
      requestedAt: '2026-03-01T09:00:00.000Z',
      policy: { packId: 'sindh', version: 2, clauses: ['SND-1'] },
    },
    metadata: metadata(requester, '2026-03-01T09:00:00.000Z'),
  };
  const granted = {
    type: 'ApprovalGranted',
    data: {
      approvalId,
      decidedBy: 'ssp-south',
      decidedAt: '2026-03-02T09:00:00.000Z',
      conditions: ['Faces of bystanders blurred.'],
      validFrom: '2026-03-02T09:00:00.000Z',
      validUntil: '2026-04-02T09:00:00.000Z',
      policy: { packId: 'sindh', version: 2, clauses: ['SND-1'] },
    },
    metadata: metadata({ id: 'ssp-south', role: 'APPROVER' }, '2026-03-02T09:00:00.000Z'),
  };
  const events = options.granted === false ? [requested] : [requested, granted];
  return { approvalId, envelopes: chainedEnvelopes({ streamId: approvalId, streamType: 'Approval' }, events) };
}
