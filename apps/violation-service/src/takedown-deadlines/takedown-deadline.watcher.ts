import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { CaseActor, CaseCommand, CaseState } from '@conduct/cases-domain';
import { PolicyCatalogue } from '@conduct/policy';
import { CLOCK, Clock, CommandInput, StreamCommands } from '@conduct/event-sourcing';
import { CaseDeadline, CaseDeadlineWatcher, deadlineBacklog } from '../case-deadlines';
import { casePack } from '../case-stream';
import { ViolationServiceConfig } from '../violation-service.config';

const TAKEDOWN_DEADLINE: CaseDeadline = {
  backlog: 'takedown_deadlines',
  idColumn: 'takedown_notice_id',
  dueColumn: 'takedown_due_at',
  open: `takedown_status = 'pending'`,
  causeType: 'TakedownNoticeIssued',
  causeField: 'noticeId',
  recordedBy: 'system:takedown-deadline',
  task: 'takedown_deadline_watcher',
};

export const takedownDeadlineBacklog = deadlineBacklog(TAKEDOWN_DEADLINE);

/**
 * Records the missed deadline of every pending takedown notice whose due date has passed (SND-6),
 * which escalates the case one level up the chain of command (the work list: case-deadlines.ts).
 */
@Injectable()
export class TakedownDeadlineWatcher extends CaseDeadlineWatcher {
  constructor(
    dataSource: DataSource,
    streams: StreamCommands,
    private readonly catalogue: PolicyCatalogue,
    @Inject(CLOCK) clock: Clock,
    config: ViolationServiceConfig,
    logger: PinoLogger,
  ) {
    super(TAKEDOWN_DEADLINE, dataSource, streams, clock, config.TAKEDOWN_WATCH_INTERVAL_MS, logger);
    this.logger.setContext(TakedownDeadlineWatcher.name);
  }

  protected passed(noticeId: string, { now, state }: CommandInput<CaseState, CaseActor>, caseId: string): CaseCommand {
    return { type: 'RecordMissedTakedownDeadline', data: { noticeId, pack: casePack(this.catalogue, caseId, state), now } };
  }
}
