import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CaseChanged, CaseCommands } from '../case-commands';
import { CloseCaseCommand, ReopenCaseCommand } from './close-case.command';

@CommandHandler(CloseCaseCommand)
export class CloseCaseHandler implements ICommandHandler<CloseCaseCommand, CaseChanged> {
  constructor(private readonly cases: CaseCommands) {}

  execute(command: CloseCaseCommand): Promise<CaseChanged> {
    return this.cases.execute(command, ({ actor, now }) => ({ type: 'CloseCase', data: { actor, reasons: command.body.reasons, now } }));
  }
}

@CommandHandler(ReopenCaseCommand)
export class ReopenCaseHandler implements ICommandHandler<ReopenCaseCommand, CaseChanged> {
  constructor(private readonly cases: CaseCommands) {}

  execute(command: ReopenCaseCommand): Promise<CaseChanged> {
    return this.cases.execute(command, ({ actor, now }) => ({ type: 'ReopenCase', data: { actor, reasons: command.body.reasons, now } }));
  }
}
