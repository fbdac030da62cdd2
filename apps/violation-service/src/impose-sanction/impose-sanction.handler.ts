import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PolicyCatalogue } from '@conduct/policy';
import { StreamCommands } from '@conduct/event-sourcing';
import { CaseChanged, caseChanged, casePack, CASES } from '../case-stream';
import { ImposeSanctionCommand } from './impose-sanction.command';

@CommandHandler(ImposeSanctionCommand)
export class ImposeSanctionHandler implements ICommandHandler<ImposeSanctionCommand, CaseChanged> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly catalogue: PolicyCatalogue,
  ) {}

  async execute(command: ImposeSanctionCommand): Promise<CaseChanged> {
    const changed = await this.streams.of(CASES).execute(command, ({ actor, now, state }) => ({
      type: 'ImposeSanction',
      data: { actor, sanction: command.body.sanction, reasons: command.body.reasons, pack: casePack(this.catalogue, command.streamId, state), now },
    }));
    return caseChanged(changed);
  }
}
