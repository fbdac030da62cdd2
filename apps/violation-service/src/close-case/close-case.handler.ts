import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StreamCommands } from '@conduct/event-sourcing';
import { CaseChanged, caseChanged, CASES } from '../case-stream';
import { CloseCaseCommand, ReopenCaseCommand } from './close-case.command';

@CommandHandler(CloseCaseCommand)
export class CloseCaseHandler implements ICommandHandler<CloseCaseCommand, CaseChanged> {
  constructor(private readonly streams: StreamCommands) {}

  async execute(command: CloseCaseCommand): Promise<CaseChanged> {
    return caseChanged(
      await this.streams.of(CASES).execute(command, ({ actor, now }) => ({ type: 'CloseCase', data: { actor, reasons: command.body.reasons, now } })),
    );
  }
}

@CommandHandler(ReopenCaseCommand)
export class ReopenCaseHandler implements ICommandHandler<ReopenCaseCommand, CaseChanged> {
  constructor(private readonly streams: StreamCommands) {}

  async execute(command: ReopenCaseCommand): Promise<CaseChanged> {
    return caseChanged(
      await this.streams
        .of(CASES)
        .execute(command, ({ actor, now }) => ({ type: 'ReopenCase', data: { actor, reasons: command.body.reasons, now } })),
    );
  }
}
