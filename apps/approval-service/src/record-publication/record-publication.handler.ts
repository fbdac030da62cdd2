import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@conduct/decider';
import { refusalIn } from '@conduct/approvals-domain';
import { StreamCommands } from '@conduct/event-sourcing';
import { StreamTransition } from '@conduct/http';
import { ApprovalChanged, approvalChanged, APPROVALS } from '../approval-stream';
import { OfficialAccountStanding } from '../official-account-standing';
import { RecordPublicationDto } from './record-publication.dto';

export class RecordPublicationCommand extends StreamTransition<RecordPublicationDto, ApprovalChanged> {}

/** The publication was refused by the policy; the refusal itself is recorded (422 with the clause). */
export class PublicationRefusedError extends DomainError {
  constructor(code: string, reason: string, clause: string) {
    super('invalid', code, reason, clause);
    this.name = 'PublicationRefusedError';
  }
}

@CommandHandler(RecordPublicationCommand)
export class RecordPublicationHandler implements ICommandHandler<RecordPublicationCommand, ApprovalChanged> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly accounts: OfficialAccountStanding,
  ) {}

  async execute(command: RecordPublicationCommand): Promise<ApprovalChanged> {
    const { body } = command;
    const officialAccount = await this.accounts.of(body.officialAccountId);
    const changed = approvalChanged(
      await this.streams.of(APPROVALS).execute(command, ({ actor, now }) => ({
        type: 'RecordPublication',
        data: {
          actor,
          url: body.url,
          officialAccountId: body.officialAccountId,
          officialAccount,
          mediaSha256: body.mediaSha256,
          publishedAt: new Date(body.publishedAt).toISOString(),
          now,
        },
      })),
    );
    const refusal = refusalIn(changed.events);
    if (refusal) throw new PublicationRefusedError(refusal.data.code, refusal.data.reason, refusal.data.clause);
    return changed;
  }
}
