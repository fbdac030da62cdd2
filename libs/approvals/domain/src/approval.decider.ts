import { Decider, DomainError } from '@conduct/decider';
import { ApprovalCommand, RequestApproval } from './approval.commands';
import { ApprovalEvent, ApprovalRequestDetails } from './approval.events';

export type ApprovalState =
  | { status: 'none' }
  | { status: 'pending'; request: ApprovalRequestDetails };

export const initialApprovalState: ApprovalState = { status: 'none' };

const SHA256_HEX = /^[0-9a-f]{64}$/;

function requestApproval(command: RequestApproval, state: ApprovalState): ApprovalEvent[] {
  if (state.status !== 'none') {
    throw new DomainError('conflict', 'approval.already-exists', `approval ${command.data.approvalId} already exists`);
  }
  const { now, ...request } = command.data;
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
  if (Date.parse(request.intendedPublicationAt) < Date.parse(now)) {
    throw new DomainError('invalid', 'approval.publication-in-past', 'intendedPublicationAt lies in the past', undefined, 'intendedPublicationAt');
  }
  return [{ type: 'ApprovalRequested', data: { ...request, requestedAt: now } }];
}

export function decideApproval(command: ApprovalCommand, state: ApprovalState): ApprovalEvent[] {
  switch (command.type) {
    case 'RequestApproval':
      return requestApproval(command, state);
    default: {
      const _exhaustive: never = command.type;
      throw new Error(`unknown command ${String(_exhaustive)}`);
    }
  }
}

export function evolveApproval(state: ApprovalState, event: ApprovalEvent): ApprovalState {
  switch (event.type) {
    case 'ApprovalRequested':
      return { status: 'pending', request: event.data };
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
}

export const approvalDecider: Decider<ApprovalCommand, ApprovalState, ApprovalEvent> = {
  initialState: initialApprovalState,
  decide: decideApproval,
  evolve: evolveApproval,
};

export const APPROVAL_STREAM_TYPE = 'approval';
