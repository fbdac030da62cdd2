import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Principal } from '@conduct/auth';
import { PolicyCatalogue } from '@conduct/policy';
import { CLOCK, Clock, DueWorkWatcher, StreamCommands } from '@conduct/event-sourcing';
import { CaseDeadline, deadlineBacklog, DueDeadline, dueDeadlines } from '../case-deadlines';
import { casePack, CASES } from '../case-stream';
import { ViolationServiceConfig } from '../violation-service.config';

/** The watcher acts as the system, not as a person; events record it as such. */
const SYSTEM: Principal = { subject: 'system:takedown-deadline', roles: [], scope: {} };

const TAKEDOWN_DEADLINE: CaseDeadline = {
  backlog: 'takedown_deadlines',
  idColumn: 'takedown_notice_id',
  dueColumn: 'takedown_due_at',
  open: `takedown_status = 'pending'`,
  causeType: 'TakedownNoticeIssued',
  causeField: 'noticeId',
};

export const takedownDeadlineBacklog = deadlineBacklog(TAKEDOWN_DEADLINE);

/**
 * Records the missed deadline of every pending takedown notice whose due date has passed (SND-6),
 * which escalates the case one level up the chain of command (the work list: case-deadlines.ts).
 */
@Injectable()
export class TakedownDeadlineWatcher extends DueWorkWatcher<DueDeadline> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly streams: StreamCommands,
    private readonly catalogue: PolicyCatalogue,
    @Inject(CLOCK) clock: Clock,
    config: ViolationServiceConfig,
    logger: PinoLogger,
  ) {
    super(clock, logger, config.TAKEDOWN_WATCH_INTERVAL_MS, 'takedown_deadline_watcher');
    this.logger.setContext(TakedownDeadlineWatcher.name);
  }

  protected due(now: Date, after: string, limit: number): Promise<DueDeadline[]> {
    return dueDeadlines(this.dataSource, TAKEDOWN_DEADLINE, now, after, limit);
  }

  protected async act({ key: caseId, id: noticeId, causationId }: DueDeadline): Promise<void> {
    const request = { streamId: caseId, principal: SYSTEM, correlationId: randomUUID(), ...(causationId ? { causationId } : {}) };
    await this.streams.of(CASES).execute(request, ({ now, state }) => ({
      type: 'RecordMissedTakedownDeadline',
      data: { noticeId, pack: casePack(this.catalogue, caseId, state), now },
    }));
  }
}
