import { Decider, DomainError } from '@conduct/decider';
import { scopeCovers } from '@conduct/jurisdiction';
import {
  ApprovalActor,
  ApprovalCommand,
  ExpireApproval,
  GrantApproval,
  RecordPublication,
  RejectApproval,
  RequestApproval,
  RevokeApproval,
  WithdrawApproval,
} from './approval.commands';
import { ApprovalEvent, ApprovalRequestDetails, PublicationDetails, PublicationRefused } from './approval.events';

export const APPROVAL_STREAM_TYPE = 'approval';

interface Grant {
  validFrom: string;
  validUntil: string;
  conditions: string[];
  decidedBy: string;
}

interface Requested {
  request: ApprovalRequestDetails;
}
interface Decided extends Requested {
  grant: Grant;
}

export type ApprovalState =
  | { status: 'none' }
  | ({ status: 'pending' } & Requested)
  | ({ status: 'rejected' } & Requested)
  | ({ status: 'withdrawn' } & Requested)
  | ({ status: 'granted' } & Decided)
  | ({ status: 'revoked' } & Decided)
  | ({ status: 'expired' } & Decided)
  | ({ status: 'published'; publication: PublicationDetails } & Decided);

export type ApprovalStatus = ApprovalState['status'];

export const initialApprovalState: ApprovalState = { status: 'none' };

const SHA256_HEX = /^[0-9a-f]{64}$/;
const APPROVING_ROLES = ['APPROVER'];
const PUBLISHING_ROLES = ['MEDIA_TEAM', 'APPROVER'];

const at = (iso: string): number => Date.parse(iso);

/** What a request that does not exist answers, and one outside the actor's scope, so the two look alike. */
const approvalNotFound = (): DomainError => new DomainError('not-found', 'approval.not-found', 'No such approval request');

type Existing = Exclude<ApprovalState, { status: 'none' }>;

function existing(state: ApprovalState): Existing {
  if (state.status === 'none') throw approvalNotFound();
  return state;
}

function requireStatus<S extends Existing['status']>(state: Existing, wanted: S, action: string): asserts state is Extract<Existing, { status: S }> {
  if (state.status !== wanted) {
    throw new DomainError('conflict', `approval.not-${wanted}`, `Only a ${wanted} approval can be ${action}; this one is ${state.status}`);
  }
}

/** An approving authority (DIG / SSP / Unit Head: role APPROVER) whose scope covers the
 * requester's unit, and never the requester (separation of duties). */
function requireAuthority(actor: ApprovalActor, request: ApprovalRequestDetails): void {
  // Outside the actor's scope the request does not exist for them (404, as for reads, not a 403 that tells it does).
  if (!scopeCovers(actor.scope, request.jurisdiction)) throw approvalNotFound();
  if (!actor.roles.some((role) => APPROVING_ROLES.includes(role))) {
    throw new DomainError('forbidden', 'approval.not-an-authority', 'Only an approving authority (DIG, SSP or Unit Head) may decide', 'SND-1');
  }
  if (actor.id === request.requester.id) {
    throw new DomainError('forbidden', 'approval.own-request', 'Nobody may decide their own request (separation of duties)');
  }
}

function requestApproval({ data }: RequestApproval, state: ApprovalState): ApprovalEvent[] {
  if (state.status !== 'none') throw new DomainError('conflict', 'approval.already-exists', `approval ${data.approvalId} already exists`);
  const { now, officialAccount, ...request } = data;
  if (!SHA256_HEX.test(request.mediaSha256)) {
    throw new DomainError('invalid', 'approval.bad-media-hash', 'mediaSha256 must be 64 lower-case hex characters', 'SND-1', 'mediaSha256');
  }
  if (request.features.length === 0) {
    throw new DomainError(
      'invalid',
      'approval.nothing-to-approve',
      'pre-approval is for content featuring uniform, vehicles, equipment or office premises; name at least one',
      'SND-1',
      'features',
    );
  }
  if (officialAccount !== 'active') {
    throw new DomainError(
      'invalid',
      'approval.account-not-active',
      `Content may go out only through a registered, active official account; ${request.officialAccountId} is ${officialAccount}`,
      'SND-5',
      'officialAccountId',
    );
  }
  if (at(request.intendedPublicationAt) < at(now)) {
    throw new DomainError('invalid', 'approval.publication-in-past', 'intendedPublicationAt lies in the past', undefined, 'intendedPublicationAt');
  }
  return [{ type: 'ApprovalRequested', data: { ...request, requestedAt: now } }];
}

function grantApproval({ data }: GrantApproval, state: ApprovalState): ApprovalEvent[] {
  const current = existing(state);
  requireAuthority(data.actor, current.request);
  requireStatus(current, 'pending', 'granted');
  if (at(data.validUntil) <= at(data.validFrom)) {
    throw new DomainError('invalid', 'approval.empty-window', 'validUntil must come after validFrom', undefined, 'validUntil');
  }
  if (at(data.validUntil) <= at(data.now)) {
    throw new DomainError('invalid', 'approval.window-in-past', 'validUntil lies in the past', undefined, 'validUntil');
  }
  const { approvalId } = current.request;
  return [
    {
      type: 'ApprovalGranted',
      data: {
        approvalId,
        decidedBy: data.actor.id,
        decidedAt: data.now,
        policy: data.policy,
        conditions: data.conditions,
        validFrom: data.validFrom,
        validUntil: data.validUntil,
      },
    },
  ];
}

function rejectApproval({ data }: RejectApproval, state: ApprovalState): ApprovalEvent[] {
  const current = existing(state);
  requireAuthority(data.actor, current.request);
  requireStatus(current, 'pending', 'rejected');
  if (data.reasons.length === 0) throw new DomainError('invalid', 'approval.reasons-required', 'A rejection gives its reasons', undefined, 'reasons');
  return [
    {
      type: 'ApprovalRejected',
      data: { approvalId: current.request.approvalId, decidedBy: data.actor.id, decidedAt: data.now, policy: data.policy, reasons: data.reasons },
    },
  ];
}

function withdrawApproval({ data }: WithdrawApproval, state: ApprovalState): ApprovalEvent[] {
  const current = existing(state);
  if (data.actor.id !== current.request.requester.id) {
    // Someone else's request does not exist outside your scope, nor for an officer, who reads only
    // their own: a 403 would tell that it does.
    if (!scopeCovers(data.actor.scope, current.request.jurisdiction) || data.actor.roles.every((role) => role === 'OFFICER'))
      throw approvalNotFound();
    throw new DomainError('forbidden', 'approval.not-requester', 'Only the requester may withdraw a request');
  }
  requireStatus(current, 'pending', 'withdrawn');
  return [
    {
      type: 'ApprovalWithdrawn',
      data: {
        approvalId: current.request.approvalId,
        withdrawnBy: data.actor.id,
        withdrawnAt: data.now,
        ...(data.reason ? { reason: data.reason } : {}),
      },
    },
  ];
}

function revokeApproval({ data }: RevokeApproval, state: ApprovalState): ApprovalEvent[] {
  const current = existing(state);
  requireAuthority(data.actor, current.request);
  requireStatus(current, 'granted', 'revoked');
  return [
    {
      type: 'ApprovalRevoked',
      data: { approvalId: current.request.approvalId, decidedBy: data.actor.id, decidedAt: data.now, policy: data.policy, reason: data.reason },
    },
  ];
}

function expireApproval({ data }: ExpireApproval, state: ApprovalState): ApprovalEvent[] {
  const current = existing(state);
  requireStatus(current, 'granted', 'expired');
  if (at(data.now) < at(current.grant.validUntil)) {
    throw new DomainError('conflict', 'approval.still-valid', `The approval is valid until ${current.grant.validUntil}`);
  }
  return [{ type: 'ApprovalExpired', data: { approvalId: current.request.approvalId, validUntil: current.grant.validUntil, expiredAt: data.now } }];
}

/** Why a publication breaks the policy, or undefined when it is covered by the approval. */
function publicationBreach(state: Existing, command: RecordPublication['data']): { clause: string; code: string; reason: string } | undefined {
  if (state.status !== 'granted') {
    return { clause: 'SND-1', code: 'publication.not-approved', reason: `The approval is ${state.status}, not granted` };
  }
  if (command.officialAccount !== 'active') {
    return {
      clause: 'SND-5',
      code: 'publication.account-not-active',
      reason: `The account is ${command.officialAccount}; only a registered, active official account may publish`,
    };
  }
  if (command.officialAccountId !== state.request.officialAccountId) {
    return {
      clause: 'SND-5',
      code: 'publication.other-account',
      reason: `The approval is for account ${state.request.officialAccountId}, not ${command.officialAccountId}`,
    };
  }
  if (command.mediaSha256 !== state.request.mediaSha256) {
    return { clause: 'SND-1', code: 'publication.media-mismatch', reason: 'The published media is not the approved media (SHA-256 differs)' };
  }
  if (at(command.publishedAt) < at(state.grant.validFrom) || at(command.publishedAt) > at(state.grant.validUntil)) {
    return {
      clause: 'SND-1',
      code: 'publication.outside-window',
      reason: `Publication must fall between ${state.grant.validFrom} and ${state.grant.validUntil}`,
    };
  }
  return undefined;
}

function recordPublication({ data }: RecordPublication, state: ApprovalState): ApprovalEvent[] {
  const current = existing(state);
  if (!scopeCovers(data.actor.scope, current.request.jurisdiction)) throw approvalNotFound();
  if (!data.actor.roles.some((role) => PUBLISHING_ROLES.includes(role))) {
    throw new DomainError('forbidden', 'publication.not-media-team', 'Only the media team or authority of the unit records publications', 'SND-5');
  }
  if (current.status === 'published')
    throw new DomainError('conflict', 'approval.already-published', 'This approval has already been used to publish');
  const publication: PublicationDetails = {
    approvalId: current.request.approvalId,
    url: data.url,
    officialAccountId: data.officialAccountId,
    mediaSha256: data.mediaSha256,
    publishedAt: data.publishedAt,
    recordedBy: data.actor.id,
  };
  const breach = publicationBreach(current, data);
  if (breach) return [{ type: 'PublicationRefused', data: { ...publication, refusedAt: data.now, ...breach } }];
  return [{ type: 'ContentPublished', data: { ...publication, recordedAt: data.now } }];
}

export function decideApproval(command: ApprovalCommand, state: ApprovalState): ApprovalEvent[] {
  switch (command.type) {
    case 'RequestApproval':
      return requestApproval(command, state);
    case 'GrantApproval':
      return grantApproval(command, state);
    case 'RejectApproval':
      return rejectApproval(command, state);
    case 'WithdrawApproval':
      return withdrawApproval(command, state);
    case 'RevokeApproval':
      return revokeApproval(command, state);
    case 'ExpireApproval':
      return expireApproval(command, state);
    case 'RecordPublication':
      return recordPublication(command, state);
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export function evolveApproval(state: ApprovalState, event: ApprovalEvent): ApprovalState {
  switch (event.type) {
    case 'ApprovalRequested':
      return { status: 'pending', request: event.data };
    case 'ApprovalGranted':
      if (state.status !== 'pending') return state;
      return {
        status: 'granted',
        request: state.request,
        grant: {
          validFrom: event.data.validFrom,
          validUntil: event.data.validUntil,
          conditions: event.data.conditions,
          decidedBy: event.data.decidedBy,
        },
      };
    case 'ApprovalRejected':
      return state.status === 'pending' ? { status: 'rejected', request: state.request } : state;
    case 'ApprovalWithdrawn':
      return state.status === 'pending' ? { status: 'withdrawn', request: state.request } : state;
    case 'ApprovalRevoked':
      return state.status === 'granted' ? { status: 'revoked', request: state.request, grant: state.grant } : state;
    case 'ApprovalExpired':
      return state.status === 'granted' ? { status: 'expired', request: state.request, grant: state.grant } : state;
    case 'ContentPublished': {
      if (state.status !== 'granted') return state;
      const { recordedAt: _recordedAt, ...publication } = event.data;
      return { status: 'published', request: state.request, grant: state.grant, publication };
    }
    case 'PublicationRefused':
      return state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

export const approvalDecider: Decider<ApprovalCommand, ApprovalState, ApprovalEvent> = {
  initialState: initialApprovalState,
  decide: decideApproval,
  evolve: evolveApproval,
};

/** A refusal is recorded, then reported to the caller as a policy breach (HTTP 422 with the clause). */
export function refusalIn(events: readonly ApprovalEvent[]): PublicationRefused | undefined {
  return events.find((event): event is PublicationRefused => event.type === 'PublicationRefused');
}
