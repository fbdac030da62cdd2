import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AppealRulingClaim, CaseState } from '@conduct/cases-domain';
import { DomainError } from '@conduct/decider';
import { PolicyCatalogue } from '@conduct/policy';
import { StreamCommands } from '@conduct/event-sourcing';
import { CaseChanged, caseChanged, casePack, CASES } from '../case-stream';
import { DecideAppealDto } from './appeal.dto';
import { DecideAppealCommand, FileAppealCommand } from './appeal.command';

@CommandHandler(FileAppealCommand)
export class FileAppealHandler implements ICommandHandler<FileAppealCommand, CaseChanged & { appealId: string }> {
  constructor(private readonly streams: StreamCommands) {}

  async execute(command: FileAppealCommand): Promise<CaseChanged & { appealId: string }> {
    const appealId = randomUUID();
    const changed = await this.streams.of(CASES).execute(command, ({ actor, now }) => ({
      type: 'FileAppeal',
      data: { actor, appealId, grounds: command.body.grounds, now },
    }));
    return { ...caseChanged(changed), appealId };
  }
}

const rulingOf = ({ outcome, reducedTo }: DecideAppealDto): AppealRulingClaim =>
  outcome === 'sanction-reduced' ? { outcome, reducedTo: reducedTo ?? '' } : { outcome };

/** The route names the appeal: deciding one that is not the pending appeal is refused. */
function requirePendingAppeal(state: CaseState, appealId: string): void {
  if (state.status === 'open' && state.outcome.stage === 'under-appeal' && state.outcome.appeal.appealId !== appealId) {
    throw new DomainError('not-found', 'case.appeal-not-found', `Appeal ${appealId} is not the pending appeal of this case`);
  }
}

@CommandHandler(DecideAppealCommand)
export class DecideAppealHandler implements ICommandHandler<DecideAppealCommand, CaseChanged> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly catalogue: PolicyCatalogue,
  ) {}

  async execute(command: DecideAppealCommand): Promise<CaseChanged> {
    const changed = await this.streams.of(CASES).execute(command, ({ actor, now, state }) => {
      requirePendingAppeal(state, command.appealId);
      const pack = casePack(this.catalogue, command.streamId, state);
      return { type: 'DecideAppeal', data: { ...rulingOf(command.body), actor, reasons: command.body.reasons, pack, now } };
    });
    return caseChanged(changed);
  }
}
