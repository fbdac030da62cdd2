import { Injectable } from '@nestjs/common';
import { AccountStanding, officialAccountDecider } from '@conduct/approvals-domain';
import { EventStore } from '@conduct/event-store';

/**
 * Whether an official account may carry content now (SND-5), read from the account's own stream
 * in this service's store: consistent at the moment of the decision, not a lagging read model.
 */
@Injectable()
export class OfficialAccountStanding {
  constructor(private readonly store: EventStore) {}

  async of(accountId: string): Promise<AccountStanding> {
    const { state } = await this.store.aggregate(accountId, officialAccountDecider);
    return state.status === 'none' ? 'unregistered' : state.status;
  }
}
