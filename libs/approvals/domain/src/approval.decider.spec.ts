import { specFor } from '@conduct/decider';
import { approvalDecider } from './approval.decider';
import { ApprovalRequested } from './approval.events';
import { RequestApproval } from './approval.commands';

const spec = specFor(approvalDecider);
const now = '2026-11-25T09:00:00.000Z';

const request = (overrides: Partial<RequestApproval['data']> = {}): RequestApproval => ({
  type: 'RequestApproval',
  data: {
    approvalId: '7d1c7c0e-6a8f-4a53-9f57-0c2f6b1d8a10',
    requester: { id: 'officer-17', unitId: 'ps-clifton' },
    jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' },
    platform: 'facebook',
    officialAccountId: 'acc-ssp-south',
    title: 'Road safety week',
    description: 'Traffic police explain helmet rules',
    mediaSha256: 'a'.repeat(64),
    features: ['uniform', 'vehicle'],
    intendedPublicationAt: '2026-11-26T09:00:00.000Z',
    now,
    ...overrides,
  },
});

const requested = (): ApprovalRequested => {
  const { now: requestedAt, ...details } = request().data;
  return { type: 'ApprovalRequested', data: { ...details, requestedAt } };
};

describe('approval: request', () => {
  it('records the request with the time it was made', () => {
    spec([]).when(request()).then([requested()]);
  });

  it('refuses a second request on the same approval id', () => {
    spec([requested()]).when(request()).thenThrows('approval.already-exists');
  });

  it('refuses a media hash that is not SHA-256 hex, citing SND-1', () => {
    const error = spec([]).when(request({ mediaSha256: 'not-a-hash' })).thenThrows('approval.bad-media-hash');
    expect(error.clause).toBe('SND-1');
    expect(error.field).toBe('mediaSha256');
  });

  it('refuses a request that names nothing needing approval', () => {
    spec([]).when(request({ features: [] })).thenThrows('approval.nothing-to-approve');
  });

  it('refuses a publication time in the past', () => {
    spec([]).when(request({ intendedPublicationAt: '2026-11-24T09:00:00.000Z' })).thenThrows('approval.publication-in-past');
  });
});
