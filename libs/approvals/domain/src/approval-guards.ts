import { DomainError } from '@conduct/decider';
import { scopeCovers } from '@conduct/jurisdiction';
import { ApprovalActor } from './approval.commands';
import { ApprovalRequestDetails } from './approval.events';
import { ApprovalState } from './approval.state';

/** The checks every approval rule shares: the request exists for the actor, its status, the authority. */

const APPROVING_ROLES = ['APPROVER'];

export const at = (iso: string): number => Date.parse(iso);

/** What a request that does not exist answers, and one outside the actor's scope, so the two look alike. */
export const approvalNotFound = (): DomainError => new DomainError('not-found', 'approval.not-found', 'No such approval request');

export type Existing = Exclude<ApprovalState, { status: 'none' }>;

export function existing(state: ApprovalState): Existing {
  if (state.status === 'none') throw approvalNotFound();
  return state;
}

export function requireStatus<S extends Existing['status']>(
  state: Existing,
  wanted: S,
  action: string,
): asserts state is Extract<Existing, { status: S }> {
  if (state.status !== wanted) {
    throw new DomainError('conflict', `approval.not-${wanted}`, `Only a ${wanted} approval can be ${action}; this one is ${state.status}`);
  }
}

/** An approving authority (DIG / SSP / Unit Head: role APPROVER) whose scope covers the
 * requester's unit, and never the requester (separation of duties). */
export function requireAuthority(actor: ApprovalActor, request: ApprovalRequestDetails): void {
  // Outside the actor's scope the request does not exist for them (404, as for reads, not a 403 that tells it does).
  if (!scopeCovers(actor.scope, request.jurisdiction)) throw approvalNotFound();
  if (!actor.roles.some((role) => APPROVING_ROLES.includes(role))) {
    throw new DomainError('forbidden', 'approval.not-an-authority', 'Only an approving authority (DIG, SSP or Unit Head) may decide', 'SND-1');
  }
  if (actor.id === request.requester.id) {
    throw new DomainError('forbidden', 'approval.own-request', 'Nobody may decide their own request (separation of duties)');
  }
}
