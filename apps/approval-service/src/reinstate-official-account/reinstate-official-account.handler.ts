import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { OfficialAccountChanged, OfficialAccountCommands } from '../official-account-transition';
import { ReinstateOfficialAccountCommand } from './reinstate-official-account.command';

@CommandHandler(ReinstateOfficialAccountCommand)
export class ReinstateOfficialAccountHandler implements ICommandHandler<ReinstateOfficialAccountCommand, OfficialAccountChanged> {
  constructor(private readonly accounts: OfficialAccountCommands) {}

  execute({ context, body }: ReinstateOfficialAccountCommand): Promise<OfficialAccountChanged> {
    return this.accounts.execute(context.streamId, context, (actor, now) => ({
      type: 'ReinstateOfficialAccount',
      data: { accountId: context.streamId, reason: body.reason, actor, now },
    }));
  }
}
