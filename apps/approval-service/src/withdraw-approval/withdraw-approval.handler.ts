import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StreamCommands } from '@conduct/event-sourcing';
import { StreamTransition } from '@conduct/http';
import { ApprovalChanged, approvalChanged, APPROVALS } from '../approval-stream';
import { WithdrawApprovalDto } from './withdraw-approval.dto';

export class WithdrawApprovalCommand extends StreamTransition<WithdrawApprovalDto, ApprovalChanged> {}

@CommandHandler(WithdrawApprovalCommand)
export class WithdrawApprovalHandler implements ICommandHandler<WithdrawApprovalCommand, ApprovalChanged> {
  constructor(private readonly streams: StreamCommands) {}

  async execute(command: WithdrawApprovalCommand): Promise<ApprovalChanged> {
    const changed = await this.streams.of(APPROVALS).execute(command, ({ actor, now }) => ({
      type: 'WithdrawApproval',
      data: { actor, now, ...(command.body.reason ? { reason: command.body.reason } : {}) },
    }));
    return approvalChanged(changed);
  }
}
