import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CaseChanged, CaseCommands } from '../case-commands';
import { ImposeSanctionCommand } from './impose-sanction.command';

@CommandHandler(ImposeSanctionCommand)
export class ImposeSanctionHandler implements ICommandHandler<ImposeSanctionCommand, CaseChanged> {
  constructor(private readonly cases: CaseCommands) {}

  execute(command: ImposeSanctionCommand): Promise<CaseChanged> {
    return this.cases.execute(command, ({ actor, now, pack }) => ({
      type: 'ImposeSanction',
      data: { actor, sanction: command.body.sanction, reasons: command.body.reasons, pack: pack(), now },
    }));
  }
}
