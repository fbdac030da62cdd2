import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PolicyCatalogue } from '@conduct/policy';
import { StreamCommands } from '@conduct/event-sourcing';
import { CaseChanged, caseChanged, casePack, CASES } from '../case-stream';
import { ConfirmContentRemovalCommand, IssueTakedownNoticeCommand } from './takedown.command';

const iso = (value: string): string => new Date(value).toISOString();

@CommandHandler(IssueTakedownNoticeCommand)
export class IssueTakedownNoticeHandler implements ICommandHandler<IssueTakedownNoticeCommand, CaseChanged & { noticeId: string }> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly catalogue: PolicyCatalogue,
  ) {}

  async execute(command: IssueTakedownNoticeCommand): Promise<CaseChanged & { noticeId: string }> {
    const noticeId = randomUUID();
    const changed = await this.streams.of(CASES).execute(command, ({ actor, now, state }) => ({
      type: 'IssueTakedownNotice',
      data: { actor, noticeId, servedAt: iso(command.body.servedAt ?? now), pack: casePack(this.catalogue, command.streamId, state), now },
    }));
    return { ...caseChanged(changed), noticeId };
  }
}

@CommandHandler(ConfirmContentRemovalCommand)
export class ConfirmContentRemovalHandler implements ICommandHandler<ConfirmContentRemovalCommand, CaseChanged> {
  constructor(private readonly streams: StreamCommands) {}

  async execute(command: ConfirmContentRemovalCommand): Promise<CaseChanged> {
    const changed = await this.streams.of(CASES).execute(command, ({ actor, now }) => ({
      type: 'ConfirmContentRemoval',
      data: { actor, noticeId: command.noticeId, verifiedAt: iso(command.body.verifiedAt ?? now), now },
    }));
    return caseChanged(changed);
  }
}
