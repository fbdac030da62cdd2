import { APPROVAL_STREAM_TYPE, ApprovalActor, ApprovalCommand, ApprovalEvent, ApprovalState, approvalDecider } from '@conduct/approvals-domain';
import { Principal } from '@conduct/auth';
import { StreamChanged, StreamKind } from '@conduct/event-sourcing';

/** What every approval transition answers: the new status and the version (also the ETag). */
export interface ApprovalChanged {
  approvalId: string;
  status: ApprovalState['status'];
  version: number;
  events: ApprovalEvent[];
}

/** The caller as the approval and official-account deciders judge them. */
export const approvalActorOf = ({ subject, roles, scope }: Principal): ApprovalActor => ({ id: subject, roles, scope });

/** Approval streams for the command runner: events are filed under the requesting unit's jurisdiction. */
export const APPROVALS: StreamKind<ApprovalCommand, ApprovalState, ApprovalEvent, ApprovalActor> = {
  streamType: APPROVAL_STREAM_TYPE,
  decider: approvalDecider,
  jurisdictionOf: (state, command) => {
    if (state.status !== 'none') return state.request.jurisdiction;
    return command.type === 'RequestApproval' ? command.data.jurisdiction : undefined;
  },
  actorOf: approvalActorOf,
  alreadyExists: 'approval.already-exists',
};

/** The answer to an approval transition. */
export function approvalChanged({ streamId, state, version, events }: StreamChanged<ApprovalState>): ApprovalChanged {
  return {
    approvalId: streamId,
    status: state.status,
    version,
    events: events.map((event) => ({ type: event.type, data: event.data }) as ApprovalEvent),
  };
}
