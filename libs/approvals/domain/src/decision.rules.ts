import { DomainError } from '@conduct/decider';
import { scopeCovers } from '@conduct/jurisdiction';
import { ExpireApproval, GrantApproval, RejectApproval, RevokeApproval, WithdrawApproval } from './approval.commands';
import { ApprovalEvent } from './approval.events';
import { approvalNotFound, at, existing, requireAuthority, requireStatus } from './approval-guards';
import { ApprovalState } from './approval.state';

/* The authority decides (grant, reject, revoke), the requester withdraws, time expires a grant. */

export function grantApproval({ data }: GrantApproval, state: ApprovalState): ApprovalEvent[] {
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

export function rejectApproval({ data }: RejectApproval, state: ApprovalState): ApprovalEvent[] {
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

export function withdrawApproval({ data }: WithdrawApproval, state: ApprovalState): ApprovalEvent[] {
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

export function revokeApproval({ data }: RevokeApproval, state: ApprovalState): ApprovalEvent[] {
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

export function expireApproval({ data }: ExpireApproval, state: ApprovalState): ApprovalEvent[] {
  const current = existing(state);
  requireStatus(current, 'granted', 'expired');
  if (at(data.now) < at(current.grant.validUntil)) {
    throw new DomainError('conflict', 'approval.still-valid', `The approval is valid until ${current.grant.validUntil}`);
  }
  return [{ type: 'ApprovalExpired', data: { approvalId: current.request.approvalId, validUntil: current.grant.validUntil, expiredAt: data.now } }];
}
