import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApprovalState } from '@conduct/approvals-domain';
import { PolicyReference } from '@conduct/approvals-domain';
import { StreamCommands } from '@conduct/event-sourcing';
import { ApprovalChanged, approvalChanged, APPROVALS } from '../approval-stream';
import { ApprovalPolicy } from '../approval-policy';
import { GrantApprovalCommand, RejectApprovalCommand } from './decide-approval.command';

/** The policy a decision applies: the pack in force now for the request's province and features. */
const decisionPolicy = (policy: ApprovalPolicy, state: ApprovalState, now: string): PolicyReference =>
  state.status === 'none'
    ? { packId: 'none', version: 0, clauses: [] }
    : policy.forPreApproval(state.request.jurisdiction.province, now, state.request.features);

@CommandHandler(GrantApprovalCommand)
export class GrantApprovalHandler implements ICommandHandler<GrantApprovalCommand, ApprovalChanged> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly policy: ApprovalPolicy,
  ) {}

  async execute(command: GrantApprovalCommand): Promise<ApprovalChanged> {
    const changed = await this.streams.of(APPROVALS).execute(command, ({ actor, now, state }) => ({
      type: 'GrantApproval',
      data: {
        actor,
        conditions: command.body.conditions ?? [],
        validFrom: new Date(command.body.validFrom ?? now).toISOString(),
        validUntil: new Date(command.body.validUntil).toISOString(),
        policy: decisionPolicy(this.policy, state, now),
        now,
      },
    }));
    return approvalChanged(changed);
  }
}

@CommandHandler(RejectApprovalCommand)
export class RejectApprovalHandler implements ICommandHandler<RejectApprovalCommand, ApprovalChanged> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly policy: ApprovalPolicy,
  ) {}

  async execute(command: RejectApprovalCommand): Promise<ApprovalChanged> {
    const changed = await this.streams.of(APPROVALS).execute(command, ({ actor, now, state }) => ({
      type: 'RejectApproval',
      data: { actor, reasons: command.body.reasons, policy: decisionPolicy(this.policy, state, now), now },
    }));
    return approvalChanged(changed);
  }
}

export { decisionPolicy };
