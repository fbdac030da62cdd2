import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StreamCommands } from '@conduct/event-sourcing';
import { OFFICIAL_ACCOUNTS, OfficialAccountChanged, officialAccountChanged } from '../official-account-stream';
import { ReinstateOfficialAccountCommand } from './reinstate-official-account.command';

@CommandHandler(ReinstateOfficialAccountCommand)
export class ReinstateOfficialAccountHandler implements ICommandHandler<ReinstateOfficialAccountCommand, OfficialAccountChanged> {
  constructor(private readonly streams: StreamCommands) {}

  async execute(command: ReinstateOfficialAccountCommand): Promise<OfficialAccountChanged> {
    const changed = await this.streams.of(OFFICIAL_ACCOUNTS).execute(command, ({ actor, now }) => ({
      type: 'ReinstateOfficialAccount',
      data: { accountId: command.streamId, reason: command.body.reason, actor, now },
    }));
    return officialAccountChanged(changed);
  }
}
