import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@conduct/decider';
import { scopeCovers } from '@conduct/jurisdiction';
import { ConcurrencyError, EventStore, IdempotencyKeyReusedError, idempotentStreamId, requestHash } from '@conduct/event-store';
import { ApprovalCommands } from '../approval-commands';
import { ApprovalPolicy } from '../approval-policy';
import { OfficialAccountStanding } from '../official-account-standing';
import { UnitRegistry } from '../org-units/unit-registry';
import { ApprovalCreated, RequestApprovalCommand } from './request-approval.command';

@CommandHandler(RequestApprovalCommand)
export class RequestApprovalHandler implements ICommandHandler<RequestApprovalCommand, ApprovalCreated> {
  constructor(
    private readonly approvals: ApprovalCommands,
    private readonly store: EventStore,
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
    const approvalId = idempotencyKey ? idempotentStreamId('approvals', principal.subject, idempotencyKey) : randomUUID();
    const fingerprint = requestHash(request);
    const officialAccount = await this.accounts.of(request.officialAccountId);
    const now = this.approvals.now();
    const policy = this.policy.forPreApproval(jurisdiction.province, now, request.features);
    try {
      const { version } = await this.approvals.execute(
        { approvalId, principal, correlationId, ...(idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash: fingerprint } } : {}) },
        () => ({
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
        }),
      );
      return { approvalId, status: 'pending', version };
    } catch (error) {
      if (idempotencyKey && isRepeat(error)) return this.replay(approvalId, idempotencyKey, fingerprint);
      throw error;
    }
  }

  /** A repeated key: the same request gets the first answer, a different one is refused. */
  private async replay(approvalId: string, key: string, fingerprint: string): Promise<ApprovalCreated> {
    const [first] = await this.store.readStream(approvalId, { toVersion: 1 });
    if (first?.metadata.idempotency?.requestHash !== fingerprint) throw new IdempotencyKeyReusedError(key);
    return { approvalId, status: 'pending', version: 1 };
  }
}

const isRepeat = (error: unknown): boolean =>
  error instanceof ConcurrencyError || (error instanceof DomainError && error.code === 'approval.already-exists');
