import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StreamCommands } from '@conduct/event-sourcing';
import { CaseChanged, caseChanged, CASES } from '../case-stream';
import { AddEvidenceCommand, AddNoteCommand, AssignInvestigatorCommand } from './investigate-case.command';

@CommandHandler(AssignInvestigatorCommand)
export class AssignInvestigatorHandler implements ICommandHandler<AssignInvestigatorCommand, CaseChanged> {
  constructor(private readonly streams: StreamCommands) {}

  async execute(command: AssignInvestigatorCommand): Promise<CaseChanged> {
    const changed = await this.streams.of(CASES).execute(command, ({ actor, now }) => ({
      type: 'AssignInvestigator',
      data: { actor, investigatorId: command.body.investigatorId, now },
    }));
    return caseChanged(changed);
  }
}

@CommandHandler(AddEvidenceCommand)
export class AddEvidenceHandler implements ICommandHandler<AddEvidenceCommand, CaseChanged & { evidenceId: string }> {
  constructor(private readonly streams: StreamCommands) {}

  async execute(command: AddEvidenceCommand): Promise<CaseChanged & { evidenceId: string }> {
    const evidenceId = randomUUID();
    const { sha256, capturedAt, archiveLocation } = command.body;
    const changed = await this.streams.of(CASES).execute(command, ({ actor, now }) => ({
      type: 'AddEvidence',
      data: { actor, evidence: { evidenceId, sha256, capturedAt: new Date(capturedAt).toISOString(), capturedBy: actor.id, archiveLocation }, now },
    }));
    return { ...caseChanged(changed), evidenceId };
  }
}

@CommandHandler(AddNoteCommand)
export class AddNoteHandler implements ICommandHandler<AddNoteCommand, CaseChanged & { noteId: string }> {
  constructor(private readonly streams: StreamCommands) {}

  async execute(command: AddNoteCommand): Promise<CaseChanged & { noteId: string }> {
    const noteId = randomUUID();
    const changed = await this.streams.of(CASES).execute(command, ({ actor, now }) => ({
      type: 'AddNote',
      data: { actor, noteId, text: command.body.text, now },
    }));
    return { ...caseChanged(changed), noteId };
  }
}
