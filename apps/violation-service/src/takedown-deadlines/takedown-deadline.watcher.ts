import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Principal } from '@conduct/auth';
import { PolicyCatalogue } from '@conduct/policy';
import { Backlog, CLOCK, Clock, DueWorkWatcher, StreamCommands } from '@conduct/event-sourcing';
import { casePack, CASES } from '../case-stream';
import { ViolationServiceConfig } from '../violation-service.config';

/** The watcher acts as the system, not as a person; events record it as such. */
const SYSTEM: Principal = { subject: 'system:takedown-deadline', roles: [], scope: {} };

interface DueNotice {
  key: string;
  noticeId: string;
  /** The TakedownNoticeIssued event whose deadline passed: the cause of what the watcher records. */
  causationId: string | null;
}

/** Deadlines passed and not yet recorded as missed: the watcher's work, measured apart from it. */
export const takedownDeadlineBacklog: Backlog = {
  name: 'takedown_deadlines',
  sql: `SELECT count(*) AS items, min(takedown_due_at) AS oldest FROM cases_list WHERE takedown_status = 'pending' AND takedown_due_at <= $1`,
};

/**
 * Records the missed deadline of every pending takedown notice whose due date has passed (SND-6),
 * which escalates the case one level up the chain of command. The work list is the cases list.
 */
@Injectable()
export class TakedownDeadlineWatcher extends DueWorkWatcher<DueNotice> {
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

  protected due(now: Date, after: string, limit: number): Promise<DueNotice[]> {
    return this.dataSource.query(
      `SELECT case_id AS key, takedown_notice_id AS "noticeId",
              (SELECT event_id FROM events WHERE stream_id = case_id::text AND type = 'TakedownNoticeIssued' AND data->>'noticeId' = takedown_notice_id::text
                ORDER BY stream_version DESC LIMIT 1) AS "causationId"
         FROM cases_list
        WHERE takedown_status = 'pending' AND takedown_due_at <= $1 AND case_id > $2
        ORDER BY case_id LIMIT $3`,
      [now, after, limit],
    );
  }

  protected async act({ key: caseId, noticeId, causationId }: DueNotice): Promise<void> {
    const request = { streamId: caseId, principal: SYSTEM, correlationId: randomUUID(), ...(causationId ? { causationId } : {}) };
    await this.streams.of(CASES).execute(request, ({ now, state }) => ({
      type: 'RecordMissedTakedownDeadline',
      data: { noticeId, pack: casePack(this.catalogue, caseId, state), now },
    }));
  }
}
