import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CaseChanged, CaseCommands } from '../case-commands';
import { ConfirmContentRemovalCommand, IssueTakedownNoticeCommand } from './takedown.command';

const iso = (value: string): string => new Date(value).toISOString();

@CommandHandler(IssueTakedownNoticeCommand)
export class IssueTakedownNoticeHandler implements ICommandHandler<IssueTakedownNoticeCommand, CaseChanged & { noticeId: string }> {
  constructor(private readonly cases: CaseCommands) {}

  async execute(command: IssueTakedownNoticeCommand): Promise<CaseChanged & { noticeId: string }> {
    const noticeId = randomUUID();
    const changed = await this.cases.execute(command, ({ actor, now, pack }) => ({
      type: 'IssueTakedownNotice',
      data: { actor, noticeId, servedAt: iso(command.body.servedAt ?? now), pack: pack(), now },
    }));
    return { ...changed, noticeId };
  }
}

@CommandHandler(ConfirmContentRemovalCommand)
export class ConfirmContentRemovalHandler implements ICommandHandler<ConfirmContentRemovalCommand, CaseChanged> {
  constructor(private readonly cases: CaseCommands) {}

  execute(command: ConfirmContentRemovalCommand): Promise<CaseChanged> {
    return this.cases.execute(command, ({ actor, now }) => ({
      type: 'ConfirmContentRemoval',
      data: { actor, noticeId: command.noticeId, verifiedAt: iso(command.body.verifiedAt ?? now), now },
    }));
  }
}
