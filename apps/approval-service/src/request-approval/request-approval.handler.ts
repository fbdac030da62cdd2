import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@conduct/decider';
import { scopeCovers } from '@conduct/jurisdiction';
import { APPROVAL_STREAM_TYPE, approvalDecider } from '@conduct/approvals-domain';
import {
  ConcurrencyError,
  EventStore,
  IdempotencyKeyReusedError,
  executeCommand,
  idempotentStreamId,
  requestHash,
} from '@conduct/event-store';
import { CLOCK, Clock } from '@conduct/service-runtime';
import { actorOf } from '../approval-actor';
import { ApprovalCreated, RequestApprovalCommand } from './request-approval.command';

@CommandHandler(RequestApprovalCommand)
export class RequestApprovalHandler implements ICommandHandler<RequestApprovalCommand, ApprovalCreated> {
  constructor(
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ request, principal, correlationId, idempotencyKey }: RequestApprovalCommand): Promise<ApprovalCreated> {
    if (!scopeCovers(principal.scope, request.jurisdiction)) {
      throw new DomainError('forbidden', 'approval.unit-out-of-scope', 'You may only request approval for a unit in your own scope', undefined, 'jurisdiction');
    }
    const approvalId = idempotencyKey ? idempotentStreamId('approvals', principal.subject, idempotencyKey) : randomUUID();
    const fingerprint = requestHash(request);
    const now = this.clock.now().toISOString();
    try {
      const { version } = await executeCommand(
        this.store,
        approvalDecider,
        { id: approvalId, type: APPROVAL_STREAM_TYPE },
        {
          type: 'RequestApproval',
          data: {
            approvalId,
            requester: { id: principal.subject, unitId: request.jurisdiction.unitId },
            jurisdiction: request.jurisdiction,
            platform: request.platform,
            officialAccountId: request.officialAccountId,
            title: request.title,
            description: request.description,
            mediaSha256: request.mediaSha256,
            features: request.features,
            intendedPublicationAt: new Date(request.intendedPublicationAt).toISOString(),
            now,
          },
        },
        {
          metadata: {
            actor: actorOf(principal),
            correlationId,
            occurredAt: now,
            jurisdiction: request.jurisdiction,
            ...(idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash: fingerprint } } : {}),
          },
        },
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
