import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApprovalChanged, ApprovalCommands } from '../approval-commands';
import { ApprovalPolicy } from '../approval-policy';
import { ApprovalTransition } from '../approval-transition';
import { decisionPolicy } from '../decide-approval/decide-approval.handler';
import { RevokeApprovalDto } from './revoke-approval.dto';

export class RevokeApprovalCommand extends ApprovalTransition<RevokeApprovalDto> {}

@CommandHandler(RevokeApprovalCommand)
export class RevokeApprovalHandler implements ICommandHandler<RevokeApprovalCommand, ApprovalChanged> {
  constructor(
    private readonly approvals: ApprovalCommands,
    private readonly policy: ApprovalPolicy,
  ) {}

  execute(command: RevokeApprovalCommand): Promise<ApprovalChanged> {
    return this.approvals.execute(command, ({ actor, now, state }) => ({
      type: 'RevokeApproval',
      data: { actor, reason: command.body.reason, policy: decisionPolicy(this.policy, state, now), now },
    }));
  }
}
