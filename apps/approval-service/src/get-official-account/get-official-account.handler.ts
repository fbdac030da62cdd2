import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError, fold } from '@conduct/decider';
import { scopeCovers } from '@conduct/jurisdiction';
import { OfficialAccountEvent, officialAccountDecider } from '@conduct/approvals-domain';
import { EventStore } from '@conduct/event-store';
import { GetOfficialAccountQuery, OfficialAccountView } from './get-official-account.query';

const notFound = (id: string) => new DomainError('not-found', 'official-account.not-found', `No official account ${id} in your scope`);

@QueryHandler(GetOfficialAccountQuery)
export class GetOfficialAccountHandler implements IQueryHandler<GetOfficialAccountQuery, OfficialAccountView> {
  constructor(private readonly store: EventStore) {}

  async execute({ accountId, principal }: GetOfficialAccountQuery): Promise<OfficialAccountView> {
    const events = await this.store.readStream(accountId);
    const state = fold(officialAccountDecider, events as unknown as OfficialAccountEvent[]);
    // Outside the caller's scope an account does not exist for them (404, not 403).
    if (state.status === 'none' || !scopeCovers(principal.scope, state.account.jurisdiction)) throw notFound(accountId);
    return {
      accountId,
      status: state.status,
      version: events.length,
      account: state.account,
      ...(state.status === 'suspended' ? { suspension: state.suspension } : {}),
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
