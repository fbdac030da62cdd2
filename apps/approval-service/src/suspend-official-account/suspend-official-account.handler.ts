import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { OfficialAccountChanged, OfficialAccountCommands } from '../official-account-transition';
import { SuspendOfficialAccountCommand } from './suspend-official-account.command';

@CommandHandler(SuspendOfficialAccountCommand)
export class SuspendOfficialAccountHandler implements ICommandHandler<SuspendOfficialAccountCommand, OfficialAccountChanged> {
  constructor(private readonly accounts: OfficialAccountCommands) {}

  execute({ context, body }: SuspendOfficialAccountCommand): Promise<OfficialAccountChanged> {
    return this.accounts.execute(context.streamId, context, (actor, now) => ({
      type: 'SuspendOfficialAccount',
      data: { accountId: context.streamId, reason: body.reason, actor, now },
    }));
  }
}
