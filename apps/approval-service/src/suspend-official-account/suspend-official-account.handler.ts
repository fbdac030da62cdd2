import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StreamCommands } from '@conduct/event-sourcing';
import { OFFICIAL_ACCOUNTS, OfficialAccountChanged, officialAccountChanged } from '../official-account-stream';
import { SuspendOfficialAccountCommand } from './suspend-official-account.command';

@CommandHandler(SuspendOfficialAccountCommand)
export class SuspendOfficialAccountHandler implements ICommandHandler<SuspendOfficialAccountCommand, OfficialAccountChanged> {
  constructor(private readonly streams: StreamCommands) {}

  async execute(command: SuspendOfficialAccountCommand): Promise<OfficialAccountChanged> {
    const changed = await this.streams.of(OFFICIAL_ACCOUNTS).execute(command, ({ actor, now }) => ({
      type: 'SuspendOfficialAccount',
      data: { accountId: command.streamId, reason: command.body.reason, actor, now },
    }));
    return officialAccountChanged(changed);
  }
}
