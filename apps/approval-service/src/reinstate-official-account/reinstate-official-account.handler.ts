import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@conduct/event-store';
import { CLOCK, Clock, MessagingLifecycle } from '@conduct/service-runtime';
import { OfficialAccountChanged, runOfficialAccountTransition } from '../official-account-transition';
import { ReinstateOfficialAccountCommand } from './reinstate-official-account.command';

@CommandHandler(ReinstateOfficialAccountCommand)
export class ReinstateOfficialAccountHandler implements ICommandHandler<ReinstateOfficialAccountCommand, OfficialAccountChanged> {
  constructor(
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly messaging: MessagingLifecycle,
  ) {}

  execute({ context, body }: ReinstateOfficialAccountCommand): Promise<OfficialAccountChanged> {
    const now = this.clock.now().toISOString();
    return runOfficialAccountTransition(this.store, this.messaging, context, now, (actor) => ({
      type: 'ReinstateOfficialAccount',
      data: { accountId: context.streamId, reason: body.reason, actor, now },
    }));
  }
}
