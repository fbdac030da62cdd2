import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@conduct/decider';
import { scopeCovers } from '@conduct/jurisdiction';
import { idempotencyOf, newStreamId, StreamCommands } from '@conduct/event-sourcing';
import { ApprovalPolicy } from '../approval-policy';
import { APPROVALS } from '../approval-stream';
import { OfficialAccountStanding } from '../official-account-standing';
import { UnitRegistry } from '../org-units/unit-registry';
import { ApprovalCreated, RequestApprovalCommand } from './request-approval.command';

@CommandHandler(RequestApprovalCommand)
export class RequestApprovalHandler implements ICommandHandler<RequestApprovalCommand, ApprovalCreated> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly policy: ApprovalPolicy,
    private readonly accounts: OfficialAccountStanding,
    private readonly units: UnitRegistry,
  ) {}

  async execute({ request, principal, correlationId, idempotencyKey }: RequestApprovalCommand): Promise<ApprovalCreated> {
    // Where the registry has the unit, not where the request says it is.
    const jurisdiction = await this.units.place(request.jurisdiction);
    if (!scopeCovers(principal.scope, jurisdiction)) {
      throw new DomainError(
        'forbidden',
        'approval.unit-out-of-scope',
        'You may only request approval for a unit in your own scope',
        undefined,
        'jurisdiction',
      );
    }
    const approvalId = newStreamId('approvals', principal, idempotencyKey);
    const officialAccount = await this.accounts.of(request.officialAccountId);
    const now = this.streams.now();
    const policy = this.policy.forPreApproval(jurisdiction.province, now, request.features);
    const { version } = await this.streams
      .of(APPROVALS)
      .create({ streamId: approvalId, principal, correlationId, ...idempotencyOf(idempotencyKey, request) }, () => ({
        type: 'RequestApproval',
        data: {
          approvalId,
          requester: { id: principal.subject, unitId: jurisdiction.unitId },
          jurisdiction,
          platform: request.platform,
          officialAccountId: request.officialAccountId,
          officialAccount,
          title: request.title,
          description: request.description,
          mediaSha256: request.mediaSha256,
          features: request.features,
          intendedPublicationAt: new Date(request.intendedPublicationAt).toISOString(),
          policy,
          now,
        },
      }));
    return { approvalId, status: 'pending', version };
  }
}
