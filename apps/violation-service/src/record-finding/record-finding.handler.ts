import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { FindingClaim } from '@conduct/cases-domain';
import { CaseChanged, CaseCommands } from '../case-commands';
import { RecordFindingDto } from './record-finding.dto';
import { RecordFindingCommand } from './record-finding.command';

const claimOf = ({ outcome, clauses }: RecordFindingDto): FindingClaim =>
  outcome === 'substantiated' ? { outcome, clauses: clauses ?? [] } : { outcome };

@CommandHandler(RecordFindingCommand)
export class RecordFindingHandler implements ICommandHandler<RecordFindingCommand, CaseChanged> {
  constructor(private readonly cases: CaseCommands) {}

  execute(command: RecordFindingCommand): Promise<CaseChanged> {
    return this.cases.execute(command, ({ actor, now, pack }) => ({
      type: 'RecordFinding',
      data: { ...claimOf(command.body), actor, reasons: command.body.reasons, pack: pack(), now },
    }));
  }
}
