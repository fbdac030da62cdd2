import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Principal } from '@conduct/auth';
import { CLOCK, Clock, DueWorkWatcher, StreamCommands } from '@conduct/event-sourcing';
import { CaseDeadline, deadlineBacklog, DueDeadline, dueDeadlines } from '../case-deadlines';
import { CASES } from '../case-stream';
import { ViolationServiceConfig } from '../violation-service.config';

/** The watcher acts as the system, not as a person; events record it as such. */
const SYSTEM: Principal = { subject: 'system:show-cause-reply', roles: [], scope: {} };

const SHOW_CAUSE_REPLY: CaseDeadline = {
  backlog: 'show_cause_replies',
  idColumn: 'show_cause_id',
  dueColumn: 'show_cause_reply_due_at',
  open: `show_cause_reply = 'awaited'`,
  causeType: 'ShowCauseNoticeIssued',
  causeField: 'showCauseId',
};

export const showCauseReplyBacklog = deadlineBacklog(SHOW_CAUSE_REPLY);

/**
 * Records the lapse of every show-cause reply period that has passed without a reply, so that the
 * personal hearing may follow (Police (Efficiency and Discipline) Rules). The work list: case-deadlines.ts.
 */
@Injectable()
export class ShowCauseReplyWatcher extends DueWorkWatcher<DueDeadline> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly streams: StreamCommands,
    @Inject(CLOCK) clock: Clock,
    config: ViolationServiceConfig,
    logger: PinoLogger,
  ) {
    super(clock, logger, config.TAKEDOWN_WATCH_INTERVAL_MS, 'show_cause_reply_watcher');
    this.logger.setContext(ShowCauseReplyWatcher.name);
  }

  protected due(now: Date, after: string, limit: number): Promise<DueDeadline[]> {
    return dueDeadlines(this.dataSource, SHOW_CAUSE_REPLY, now, after, limit);
  }

  protected async act({ key: caseId, id: showCauseId, causationId }: DueDeadline): Promise<void> {
    const request = { streamId: caseId, principal: SYSTEM, correlationId: randomUUID(), ...(causationId ? { causationId } : {}) };
    await this.streams.of(CASES).execute(request, ({ now }) => ({ type: 'RecordLapsedShowCauseReply', data: { showCauseId, now } }));
  }
}
