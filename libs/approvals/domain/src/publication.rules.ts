import { DomainError } from '@conduct/decider';
import { scopeCovers } from '@conduct/jurisdiction';
import { RecordPublication } from './approval.commands';
import { ApprovalEvent, PublicationDetails, PublicationRefused } from './approval.events';
import { approvalNotFound, at, existing, Existing } from './approval-guards';
import { ApprovalState } from './approval.state';

const PUBLISHING_ROLES = ['MEDIA_TEAM', 'APPROVER'];

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

export function recordPublication({ data }: RecordPublication, state: ApprovalState): ApprovalEvent[] {
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

/** A refusal is recorded, then reported to the caller as a policy breach (HTTP 422 with the clause). */
export function refusalIn(events: readonly ApprovalEvent[]): PublicationRefused | undefined {
  return events.find((event): event is PublicationRefused => event.type === 'PublicationRefused');
}
