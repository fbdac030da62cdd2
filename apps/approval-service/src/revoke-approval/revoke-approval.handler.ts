import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StreamCommands } from '@conduct/event-sourcing';
import { StreamTransition } from '@conduct/http';
import { ApprovalPolicy } from '../approval-policy';
import { ApprovalChanged, approvalChanged, APPROVALS } from '../approval-stream';
import { decisionPolicy } from '../decide-approval/decide-approval.handler';
import { RevokeApprovalDto } from './revoke-approval.dto';

export class RevokeApprovalCommand extends StreamTransition<RevokeApprovalDto, ApprovalChanged> {}

@CommandHandler(RevokeApprovalCommand)
export class RevokeApprovalHandler implements ICommandHandler<RevokeApprovalCommand, ApprovalChanged> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly policy: ApprovalPolicy,
  ) {}

  async execute(command: RevokeApprovalCommand): Promise<ApprovalChanged> {
    const changed = await this.streams.of(APPROVALS).execute(command, ({ actor, now, state }) => ({
      type: 'RevokeApproval',
      data: { actor, reason: command.body.reason, policy: decisionPolicy(this.policy, state, now), now },
    }));
    return approvalChanged(changed);
  }
}
