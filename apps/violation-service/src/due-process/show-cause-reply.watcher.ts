import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { CaseCommand } from '@conduct/cases-domain';
import { CLOCK, Clock, StreamCommands } from '@conduct/event-sourcing';
import { CaseDeadline, CaseDeadlineWatcher, deadlineBacklog } from '../case-deadlines';
import { ViolationServiceConfig } from '../violation-service.config';

const SHOW_CAUSE_REPLY: CaseDeadline = {
  backlog: 'show_cause_replies',
  idColumn: 'show_cause_id',
  dueColumn: 'show_cause_reply_due_at',
  open: `show_cause_reply = 'awaited'`,
  causeType: 'ShowCauseNoticeIssued',
  causeField: 'showCauseId',
  recordedBy: 'system:show-cause-reply',
  task: 'show_cause_reply_watcher',
};

export const showCauseReplyBacklog = deadlineBacklog(SHOW_CAUSE_REPLY);

/**
 * Records the lapse of every show-cause reply period that has passed without a reply, so that the
 * personal hearing may follow (Police (Efficiency and Discipline) Rules). The work list: case-deadlines.ts.
 */
@Injectable()
export class ShowCauseReplyWatcher extends CaseDeadlineWatcher {
  constructor(dataSource: DataSource, streams: StreamCommands, @Inject(CLOCK) clock: Clock, config: ViolationServiceConfig, logger: PinoLogger) {
    super(SHOW_CAUSE_REPLY, dataSource, streams, clock, config.TAKEDOWN_WATCH_INTERVAL_MS, logger);
    this.logger.setContext(ShowCauseReplyWatcher.name);
  }

  protected passed(showCauseId: string, { now }: { now: string }): CaseCommand {
    return { type: 'RecordLapsedShowCauseReply', data: { showCauseId, now } };
  }
}
