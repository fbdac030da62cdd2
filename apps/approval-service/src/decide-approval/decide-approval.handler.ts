import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApprovalState } from '@conduct/approvals-domain';
import { PolicyReference } from '@conduct/approvals-domain';
import { ApprovalChanged, ApprovalCommands } from '../approval-commands';
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
    private readonly approvals: ApprovalCommands,
    private readonly policy: ApprovalPolicy,
  ) {}

  execute(command: GrantApprovalCommand): Promise<ApprovalChanged> {
    return this.approvals.execute(command, ({ actor, now, state }) => ({
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
  }
}

@CommandHandler(RejectApprovalCommand)
export class RejectApprovalHandler implements ICommandHandler<RejectApprovalCommand, ApprovalChanged> {
  constructor(
    private readonly approvals: ApprovalCommands,
    private readonly policy: ApprovalPolicy,
  ) {}

  execute(command: RejectApprovalCommand): Promise<ApprovalChanged> {
    return this.approvals.execute(command, ({ actor, now, state }) => ({
      type: 'RejectApproval',
      data: { actor, reasons: command.body.reasons, policy: decisionPolicy(this.policy, state, now), now },
    }));
  }
}

export { decisionPolicy };
