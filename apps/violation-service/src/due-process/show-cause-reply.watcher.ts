import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Principal } from '@conduct/auth';
import { Backlog, CLOCK, Clock, DueWorkWatcher, StreamCommands } from '@conduct/event-sourcing';
import { CASES } from '../case-stream';
import { ViolationServiceConfig } from '../violation-service.config';

/** The watcher acts as the system, not as a person; events record it as such. */
const SYSTEM: Principal = { subject: 'system:show-cause-reply', roles: [], scope: {} };

interface DueReply {
  key: string;
  showCauseId: string;
  /** The ShowCauseNoticeIssued event whose reply period passed: the cause of the lapse. */
  causationId: string | null;
}

/** Reply periods passed and not yet recorded as lapsed: the watcher's work, measured apart from it. */
export const showCauseReplyBacklog: Backlog = {
  name: 'show_cause_replies',
  sql: `SELECT count(*) AS items, min(show_cause_reply_due_at) AS oldest FROM cases_list WHERE show_cause_reply = 'awaited' AND show_cause_reply_due_at <= $1`,
};

/**
 * Records the lapse of every show-cause reply period that has passed without a reply, so that the
 * personal hearing may follow (Police (Efficiency and Discipline) Rules). The work list is the cases list.
 */
@Injectable()
export class ShowCauseReplyWatcher extends DueWorkWatcher<DueReply> {
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

  protected due(now: Date, after: string, limit: number): Promise<DueReply[]> {
    return this.dataSource.query(
      `SELECT case_id AS key, show_cause_id AS "showCauseId",
              (SELECT event_id FROM events WHERE stream_id = case_id::text AND type = 'ShowCauseNoticeIssued' AND data->>'showCauseId' = show_cause_id::text
                ORDER BY stream_version DESC LIMIT 1) AS "causationId"
         FROM cases_list
        WHERE show_cause_reply = 'awaited' AND show_cause_reply_due_at <= $1 AND case_id > $2
        ORDER BY case_id LIMIT $3`,
      [now, after, limit],
    );
  }

  protected async act({ key: caseId, showCauseId, causationId }: DueReply): Promise<void> {
    const request = { streamId: caseId, principal: SYSTEM, correlationId: randomUUID(), ...(causationId ? { causationId } : {}) };
    await this.streams.of(CASES).execute(request, ({ now }) => ({ type: 'RecordLapsedShowCauseReply', data: { showCauseId, now } }));
  }
}
