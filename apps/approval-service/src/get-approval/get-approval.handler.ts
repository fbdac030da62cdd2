import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError, fold } from '@conduct/decider';
import { scopeCovers } from '@conduct/jurisdiction';
import { ApprovalEvent, approvalDecider } from '@conduct/approvals-domain';
import { EventStore } from '@conduct/event-store';
import { readsOwnRequestsOnly } from '../approval-readers';
import { ApprovalView, GetApprovalQuery } from './get-approval.query';

const notFound = (id: string) => new DomainError('not-found', 'approval.not-found', `No approval ${id} in your scope`);

@QueryHandler(GetApprovalQuery)
export class GetApprovalHandler implements IQueryHandler<GetApprovalQuery, ApprovalView> {
  constructor(private readonly store: EventStore) {}

  async execute({ approvalId, principal }: GetApprovalQuery): Promise<ApprovalView> {
    const events = await this.store.readStream(approvalId);
    const state = fold(approvalDecider, events as unknown as ApprovalEvent[]);
    if (state.status === 'none') throw notFound(approvalId);
    // Outside the caller's scope an approval does not exist for them (404, not 403); the
    // requester always sees their own.
    const own = state.request.requester.id === principal.subject;
    if (!own && (readsOwnRequestsOnly(principal) || !scopeCovers(principal.scope, state.request.jurisdiction))) throw notFound(approvalId);
    return {
      approvalId,
      status: state.status,
      version: events.length,
      request: state.request,
      history: events.map((event) => ({
        version: event.streamVersion,
        type: event.type,
        occurredAt: event.metadata.occurredAt,
        recordedAt: event.recordedAt,
        actor: { id: event.metadata.actor.id, role: event.metadata.actor.role },
        data: event.data,
      })),
    };
  }
}
