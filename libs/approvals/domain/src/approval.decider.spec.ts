import { specFor } from '@conduct/decider';
import { ApprovalActor, ApprovalCommand, RecordPublication, RequestApproval } from './approval.commands';
import { approvalDecider } from './approval.decider';
import { ApprovalEvent, ApprovalGranted, ApprovalRequested, ContentPublished, PolicyReference } from './approval.events';

const spec = specFor(approvalDecider);
const now = '2026-11-25T09:00:00.000Z';
const later = '2026-11-26T10:00:00.000Z';
const approvalId = '7d1c7c0e-6a8f-4a53-9f57-0c2f6b1d8a10';
const policy: PolicyReference = { packId: 'sindh', version: 2, clauses: ['SND-1'] };
const karachiSouth = { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' };

const officer: ApprovalActor = { id: 'officer-17', roles: ['OFFICER'], scope: { province: 'sindh', unit: 'ps-clifton' } };
const ssp: ApprovalActor = { id: 'ssp-south', roles: ['APPROVER'], scope: { province: 'sindh', range: 'karachi', district: 'karachi-south' } };
const sspEast: ApprovalActor = { id: 'ssp-east', roles: ['APPROVER'], scope: { province: 'sindh', range: 'karachi', district: 'karachi-east' } };
const mediaTeam: ApprovalActor = { id: 'media-south', roles: ['MEDIA_TEAM'], scope: { province: 'sindh', district: 'karachi-south' } };

const request = (overrides: Partial<RequestApproval['data']> = {}): ApprovalCommand => ({
  type: 'RequestApproval',
  data: {
    approvalId,
    requester: { id: officer.id, unitId: 'ps-clifton' },
    jurisdiction: karachiSouth,
    platform: 'facebook',
    officialAccountId: 'acc-ssp-south',
    officialAccount: 'active',
    title: 'Road safety week',
    description: 'Traffic police explain helmet rules',
    mediaSha256: 'a'.repeat(64),
    features: ['uniform', 'vehicle'],
    intendedPublicationAt: '2026-11-26T09:00:00.000Z',
    policy,
    now,
    ...overrides,
  },
});

const requested: ApprovalRequested = (() => {
  const { now: requestedAt, officialAccount: _standing, ...details } = (request() as Extract<ApprovalCommand, { type: 'RequestApproval' }>).data;
  return { type: 'ApprovalRequested', data: { ...details, requestedAt } };
})();

const window = { validFrom: '2026-11-26T00:00:00.000Z', validUntil: '2026-12-03T00:00:00.000Z' };
const grant = (actor: ApprovalActor = ssp): ApprovalCommand => ({
  type: 'GrantApproval',
  data: { actor, conditions: ['No faces of minors'], ...window, policy, now },
});
const granted: ApprovalGranted = {
  type: 'ApprovalGranted',
  data: { approvalId, decidedBy: ssp.id, decidedAt: now, policy, conditions: ['No faces of minors'], ...window },
};

const publish = (overrides: Partial<RecordPublication['data']> = {}): ApprovalCommand => ({
  type: 'RecordPublication',
  data: {
    actor: mediaTeam,
    url: 'https://facebook.com/sspsouth/videos/1',
    officialAccountId: 'acc-ssp-south',
    officialAccount: 'active',
    mediaSha256: 'a'.repeat(64),
    publishedAt: later,
    now: later,
    ...overrides,
  },
});
const published: ContentPublished = {
  type: 'ContentPublished',
  data: {
    approvalId,
    url: 'https://facebook.com/sspsouth/videos/1',
    officialAccountId: 'acc-ssp-south',
    mediaSha256: 'a'.repeat(64),
    publishedAt: later,
    recordedBy: mediaTeam.id,
    recordedAt: later,
  },
};

describe('approval: request', () => {
  it('records the request with the time it was made and the policy it falls under', () => {
    spec([]).when(request()).then([requested]);
  });
  it('refuses a second request on the same approval id', () => {
    spec([requested]).when(request()).thenThrows('approval.already-exists');
  });
  it('refuses a media hash that is not SHA-256 hex, citing SND-1', () => {
    const error = spec([])
      .when(request({ mediaSha256: 'not-a-hash' }))
      .thenThrows('approval.bad-media-hash');
    expect([error.clause, error.field]).toEqual(['SND-1', 'mediaSha256']);
  });
  it('refuses a request that names nothing needing approval', () => {
    spec([])
      .when(request({ features: [] }))
      .thenThrows('approval.nothing-to-approve');
  });
  it.each(['suspended', 'unregistered'] as const)('refuses a target account that is %s, citing SND-5', (standing) => {
    expect(
      spec([])
        .when(request({ officialAccount: standing }))
        .thenThrows('approval.account-not-active').clause,
    ).toBe('SND-5');
  });
  it('refuses a publication time in the past', () => {
    spec([])
      .when(request({ intendedPublicationAt: '2026-11-24T09:00:00.000Z' }))
      .thenThrows('approval.publication-in-past');
  });
});

describe('approval: decision', () => {
  it('is granted by an authority in scope, with conditions and a validity window', () => {
    spec([requested]).when(grant()).then([granted]);
  });
  it('is rejected with reasons', () => {
    spec([requested])
      .when({ type: 'RejectApproval', data: { actor: ssp, reasons: ['Shows a minor'], policy, now } })
      .then([{ type: 'ApprovalRejected', data: { approvalId, decidedBy: ssp.id, decidedAt: now, policy, reasons: ['Shows a minor'] } }]);
  });
  it('refuses a rejection without reasons', () => {
    spec([requested])
      .when({ type: 'RejectApproval', data: { actor: ssp, reasons: [], policy, now } })
      .thenThrows('approval.reasons-required');
  });
  it('refuses a decider without the APPROVER role', () => {
    spec([requested]).when(grant(mediaTeam)).thenThrows('approval.not-an-authority');
  });
  it('refuses an authority whose scope does not cover the requester’s unit', () => {
    spec([requested]).when(grant(sspEast)).thenThrows('approval.not-found');
  });
  it('refuses the requester deciding their own request (separation of duties)', () => {
    const requesterAsApprover: ApprovalActor = { ...ssp, id: officer.id };
    spec([requested]).when(grant(requesterAsApprover)).thenThrows('approval.own-request');
  });
  it('refuses a second decision', () => {
    spec([requested, granted]).when(grant()).thenThrows('approval.not-pending');
  });
  it('refuses an empty or past validity window', () => {
    spec([requested])
      .when({ type: 'GrantApproval', data: { actor: ssp, conditions: [], validFrom: window.validUntil, validUntil: window.validFrom, policy, now } })
      .thenThrows('approval.empty-window');
    spec([requested])
      .when({
        type: 'GrantApproval',
        data: { actor: ssp, conditions: [], validFrom: '2026-11-01T00:00:00.000Z', validUntil: '2026-11-02T00:00:00.000Z', policy, now },
      })
      .thenThrows('approval.window-in-past');
  });
  it('refuses deciding an approval that does not exist', () => {
    spec([]).when(grant()).thenThrows('approval.not-found');
  });
});

describe('approval: withdraw, revoke, expire', () => {
  it('is withdrawn by the requester while pending', () => {
    spec([requested])
      .when({ type: 'WithdrawApproval', data: { actor: officer, reason: 'Event cancelled', now } })
      .then([{ type: 'ApprovalWithdrawn', data: { approvalId, withdrawnBy: officer.id, withdrawnAt: now, reason: 'Event cancelled' } }]);
  });
  it('refuses a withdrawal by anyone else, or after the decision', () => {
    spec([requested])
      .when({ type: 'WithdrawApproval', data: { actor: ssp, now } })
      .thenThrows('approval.not-requester');
    // ... and as a request that does not exist to those who cannot read it: outside the scope, another officer.
    spec([requested])
      .when({ type: 'WithdrawApproval', data: { actor: sspEast, now } })
      .thenThrows('approval.not-found');
    spec([requested])
      .when({ type: 'WithdrawApproval', data: { actor: { ...officer, id: 'officer-18' }, now } })
      .thenThrows('approval.not-found');
    spec([requested, granted])
      .when({ type: 'WithdrawApproval', data: { actor: officer, now } })
      .thenThrows('approval.not-pending');
  });
  it('is revoked by an authority once granted', () => {
    spec([requested, granted])
      .when({ type: 'RevokeApproval', data: { actor: ssp, reason: 'Context changed', policy, now: later } })
      .then([{ type: 'ApprovalRevoked', data: { approvalId, decidedBy: ssp.id, decidedAt: later, policy, reason: 'Context changed' } }]);
  });
  it('refuses revoking a pending request', () => {
    spec([requested])
      .when({ type: 'RevokeApproval', data: { actor: ssp, reason: 'x', policy, now } })
      .thenThrows('approval.not-granted');
  });
  it('expires once the validity window has passed', () => {
    spec([requested, granted])
      .when({ type: 'ExpireApproval', data: { now: window.validUntil } })
      .then([{ type: 'ApprovalExpired', data: { approvalId, validUntil: window.validUntil, expiredAt: window.validUntil } }]);
  });
  it('does not expire early, nor twice, nor once published', () => {
    spec([requested, granted])
      .when({ type: 'ExpireApproval', data: { now: later } })
      .thenThrows('approval.still-valid');
    const expired: ApprovalEvent = { type: 'ApprovalExpired', data: { approvalId, validUntil: window.validUntil, expiredAt: window.validUntil } };
    spec([requested, granted, expired])
      .when({ type: 'ExpireApproval', data: { now: '2027-01-01T00:00:00.000Z' } })
      .thenThrows('approval.not-granted');
    spec([requested, granted, published])
      .when({ type: 'ExpireApproval', data: { now: '2027-01-01T00:00:00.000Z' } })
      .thenThrows('approval.not-granted');
  });
});

describe('approval: publication', () => {
  it('records content published through the approved, active account, with the approved media, inside the window', () => {
    spec([requested, granted]).when(publish()).then([published]);
  });

  const refused = (
    clause: string,
    code: string,
    overrides: Partial<RecordPublication['data']> = {},
    given: ApprovalEvent[] = [requested, granted],
  ) => {
    const [event] = approvalDecider.decide(publish(overrides), given.reduce(approvalDecider.evolve, approvalDecider.initialState));
    expect(event).toMatchObject({ type: 'PublicationRefused', data: { clause, code } });
  };

  it('records a refusal (SND-1) when the approval is not granted', () => refused('SND-1', 'publication.not-approved', {}, [requested]));
  it('records a refusal (SND-5) through a suspended or unregistered account', () => {
    refused('SND-5', 'publication.account-not-active', { officialAccount: 'suspended' });
    refused('SND-5', 'publication.account-not-active', { officialAccount: 'unregistered' });
  });
  it('records a refusal (SND-5) through another account than the approved one', () =>
    refused('SND-5', 'publication.other-account', { officialAccountId: 'acc-personal-page' }));
  it('records a refusal (SND-1) for media other than the approved', () =>
    refused('SND-1', 'publication.media-mismatch', { mediaSha256: 'b'.repeat(64) }));
  it('records a refusal (SND-1) outside the validity window', () =>
    refused('SND-1', 'publication.outside-window', { publishedAt: '2026-12-04T00:00:00.000Z' }));
  it('refuses, without recording, a caller who is not the unit’s media team or authority', () => {
    spec([requested, granted])
      .when(publish({ actor: officer }))
      .thenThrows('publication.not-media-team');
  });
  it('refuses publishing twice on one approval', () => {
    spec([requested, granted, published]).when(publish()).thenThrows('approval.already-published');
  });
});
