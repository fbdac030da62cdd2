import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { FindingClaim } from '@conduct/cases-domain';
import { PolicyCatalogue } from '@conduct/policy';
import { StreamCommands } from '@conduct/event-sourcing';
import { CaseChanged, caseChanged, casePack, CASES } from '../case-stream';
import { RecordFindingDto } from './record-finding.dto';
import { RecordFindingCommand } from './record-finding.command';

const claimOf = ({ outcome, clauses }: RecordFindingDto): FindingClaim =>
  outcome === 'substantiated' ? { outcome, clauses: clauses ?? [] } : { outcome };

@CommandHandler(RecordFindingCommand)
export class RecordFindingHandler implements ICommandHandler<RecordFindingCommand, CaseChanged> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly catalogue: PolicyCatalogue,
  ) {}

  async execute(command: RecordFindingCommand): Promise<CaseChanged> {
    const changed = await this.streams.of(CASES).execute(command, ({ actor, now, state }) => ({
      type: 'RecordFinding',
      data: { ...claimOf(command.body), actor, reasons: command.body.reasons, pack: casePack(this.catalogue, command.streamId, state), now },
    }));
    return caseChanged(changed);
  }
}
