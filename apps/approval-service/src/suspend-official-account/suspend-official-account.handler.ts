import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@conduct/event-store';
import { CLOCK, Clock, MessagingLifecycle } from '@conduct/service-runtime';
import { OfficialAccountChanged, runOfficialAccountTransition } from '../official-account-transition';
import { SuspendOfficialAccountCommand } from './suspend-official-account.command';

@CommandHandler(SuspendOfficialAccountCommand)
export class SuspendOfficialAccountHandler implements ICommandHandler<SuspendOfficialAccountCommand, OfficialAccountChanged> {
  constructor(
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly messaging: MessagingLifecycle,
  ) {}

  execute({ context, body }: SuspendOfficialAccountCommand): Promise<OfficialAccountChanged> {
    const now = this.clock.now().toISOString();
    return runOfficialAccountTransition(this.store, this.messaging, context, now, (actor) => ({
      type: 'SuspendOfficialAccount',
      data: { accountId: context.streamId, reason: body.reason, actor, now },
    }));
  }
}
