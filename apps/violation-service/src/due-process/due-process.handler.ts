import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PolicyCatalogue } from '@conduct/policy';
import { StreamCommands } from '@conduct/event-sourcing';
import { CaseChanged, caseChanged, casePack, CASES } from '../case-stream';
import { IssueShowCauseNoticeCommand, RecordPersonalHearingCommand, RecordShowCauseReplyCommand } from './due-process.command';

const iso = (value: string): string => new Date(value).toISOString();

@CommandHandler(IssueShowCauseNoticeCommand)
export class IssueShowCauseNoticeHandler implements ICommandHandler<IssueShowCauseNoticeCommand, CaseChanged & { showCauseId: string }> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly catalogue: PolicyCatalogue,
  ) {}

  async execute(command: IssueShowCauseNoticeCommand): Promise<CaseChanged & { showCauseId: string }> {
    const showCauseId = randomUUID();
    const { grounds, proposedSanction, servedAt } = command.body;
    const changed = await this.streams.of(CASES).execute(command, ({ actor, now, state }) => ({
      type: 'IssueShowCauseNotice',
      data: {
        actor,
        showCauseId,
        grounds,
        proposedSanction,
        servedAt: iso(servedAt ?? now),
        pack: casePack(this.catalogue, command.streamId, state),
        now,
      },
    }));
    return { ...caseChanged(changed), showCauseId };
  }
}

@CommandHandler(RecordShowCauseReplyCommand)
export class RecordShowCauseReplyHandler implements ICommandHandler<RecordShowCauseReplyCommand, CaseChanged> {
  constructor(private readonly streams: StreamCommands) {}

  async execute(command: RecordShowCauseReplyCommand): Promise<CaseChanged> {
    const changed = await this.streams.of(CASES).execute(command, ({ actor, now }) => ({
      type: 'RecordShowCauseReply',
      data: { actor, reply: command.body.reply, receivedAt: iso(command.body.receivedAt ?? now), now },
    }));
    return caseChanged(changed);
  }
}

@CommandHandler(RecordPersonalHearingCommand)
export class RecordPersonalHearingHandler implements ICommandHandler<RecordPersonalHearingCommand, CaseChanged> {
  constructor(private readonly streams: StreamCommands) {}

  async execute(command: RecordPersonalHearingCommand): Promise<CaseChanged> {
    const { heldAt, officerPresent, record } = command.body;
    const changed = await this.streams.of(CASES).execute(command, ({ actor, now }) => ({
      type: 'RecordPersonalHearing',
      data: { actor, heldAt: iso(heldAt), officerPresent, record, now },
    }));
    return caseChanged(changed);
  }
}
