import { Decider } from '@conduct/decider';
import { ApprovalCommand } from './approval.commands';
import { ApprovalEvent } from './approval.events';
import { ApprovalState, evolveApproval, initialApprovalState } from './approval.state';
import { grantApproval, rejectApproval, withdrawApproval, revokeApproval, expireApproval } from './decision.rules';
import { recordPublication } from './publication.rules';
import { requestApproval } from './request.rules';

export const APPROVAL_STREAM_TYPE = 'approval';

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

export const approvalDecider: Decider<ApprovalCommand, ApprovalState, ApprovalEvent> = {
  initialState: initialApprovalState,
  decide: decideApproval,
  evolve: evolveApproval,
};
