import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CaseChanged, CaseCommands } from '../case-commands';
import { AddEvidenceCommand, AddNoteCommand, AssignInvestigatorCommand } from './investigate-case.command';

@CommandHandler(AssignInvestigatorCommand)
export class AssignInvestigatorHandler implements ICommandHandler<AssignInvestigatorCommand, CaseChanged> {
  constructor(private readonly cases: CaseCommands) {}

  execute(command: AssignInvestigatorCommand): Promise<CaseChanged> {
    return this.cases.execute(command, ({ actor, now }) => ({
      type: 'AssignInvestigator',
      data: { actor, investigatorId: command.body.investigatorId, now },
    }));
  }
}

@CommandHandler(AddEvidenceCommand)
export class AddEvidenceHandler implements ICommandHandler<AddEvidenceCommand, CaseChanged & { evidenceId: string }> {
  constructor(private readonly cases: CaseCommands) {}

  async execute(command: AddEvidenceCommand): Promise<CaseChanged & { evidenceId: string }> {
    const evidenceId = randomUUID();
    const { sha256, capturedAt, archiveLocation } = command.body;
    const changed = await this.cases.execute(command, ({ actor, now }) => ({
      type: 'AddEvidence',
      data: { actor, evidence: { evidenceId, sha256, capturedAt: new Date(capturedAt).toISOString(), capturedBy: actor.id, archiveLocation }, now },
    }));
    return { ...changed, evidenceId };
  }
}

@CommandHandler(AddNoteCommand)
export class AddNoteHandler implements ICommandHandler<AddNoteCommand, CaseChanged & { noteId: string }> {
  constructor(private readonly cases: CaseCommands) {}

  async execute(command: AddNoteCommand): Promise<CaseChanged & { noteId: string }> {
    const noteId = randomUUID();
    const changed = await this.cases.execute(command, ({ actor, now }) => ({
      type: 'AddNote',
      data: { actor, noteId, text: command.body.text, now },
    }));
    return { ...changed, noteId };
  }
}
