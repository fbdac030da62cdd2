import { DomainError } from '@conduct/decider';
import { RequestApproval } from './approval.commands';
import { ApprovalEvent } from './approval.events';
import { at } from './approval-guards';
import { ApprovalState } from './approval.state';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** An officer asks to publish media showing uniform, vehicles, equipment or offices (SND-1, SND-5). */
export function requestApproval({ data }: RequestApproval, state: ApprovalState): ApprovalEvent[] {
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
