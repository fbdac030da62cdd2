import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Principal } from '@conduct/auth';
import { Backlog, CLOCK, Clock, DueWorkWatcher, StreamCommands } from '@conduct/event-sourcing';
import { APPROVALS } from '../approval-stream';
import { ApprovalServiceConfig } from '../approval-service.config';

/** The watcher acts as the system, not as a person; events record it as such. */
const SYSTEM: Principal = { subject: 'system:approval-expiry', roles: [], scope: {} };

/** A granted approval past its window, and the ApprovalGranted event that set the window (the expiry's cause). */
interface DueApproval {
  key: string;
  causationId: string | null;
}

/** Granted approvals past their window and not yet expired: the watcher's work, measured apart from it. */
export const approvalExpiryBacklog: Backlog = {
  name: 'approval_expiries',
  sql: `SELECT count(*) AS items, min(valid_until) AS oldest FROM approvals_list WHERE status = 'granted' AND valid_until <= $1`,
};

/**
 * Expires granted approvals whose validity window has passed without publication. The work list
 * is the approvals list; the decider refuses a second expiry.
 */
@Injectable()
export class ApprovalExpiryWatcher extends DueWorkWatcher<DueApproval> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly streams: StreamCommands,
    @Inject(CLOCK) clock: Clock,
    config: ApprovalServiceConfig,
    logger: PinoLogger,
  ) {
    super(clock, logger, config.APPROVAL_EXPIRY_INTERVAL_MS, 'approval_expiry_watcher');
    this.logger.setContext(ApprovalExpiryWatcher.name);
  }

  protected due(now: Date, after: string, limit: number): Promise<DueApproval[]> {
    return this.dataSource.query(
      `SELECT approval_id AS key,
              (SELECT event_id FROM events WHERE stream_id = approval_id::text AND type = 'ApprovalGranted' ORDER BY stream_version DESC LIMIT 1) AS "causationId"
         FROM approvals_list
        WHERE status = 'granted' AND valid_until <= $1 AND approval_id > $2
        ORDER BY approval_id LIMIT $3`,
      [now, after, limit],
    );
  }

  protected async act({ key: approvalId, causationId }: DueApproval): Promise<void> {
    const request = { streamId: approvalId, principal: SYSTEM, correlationId: randomUUID(), ...(causationId ? { causationId } : {}) };
    await this.streams.of(APPROVALS).execute(request, ({ now }) => ({ type: 'ExpireApproval', data: { now } }));
  }
}
