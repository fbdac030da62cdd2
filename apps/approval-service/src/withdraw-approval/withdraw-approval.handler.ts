import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApprovalChanged, ApprovalCommands } from '../approval-commands';
import { ApprovalTransition } from '../approval-transition';
import { WithdrawApprovalDto } from './withdraw-approval.dto';

export class WithdrawApprovalCommand extends ApprovalTransition<WithdrawApprovalDto> {}

@CommandHandler(WithdrawApprovalCommand)
export class WithdrawApprovalHandler implements ICommandHandler<WithdrawApprovalCommand, ApprovalChanged> {
  constructor(private readonly approvals: ApprovalCommands) {}

  execute(command: WithdrawApprovalCommand): Promise<ApprovalChanged> {
    return this.approvals.execute(command, ({ actor, now }) => ({
      type: 'WithdrawApproval',
      data: { actor, now, ...(command.body.reason ? { reason: command.body.reason } : {}) },
    }));
  }
}
