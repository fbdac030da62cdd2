import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock, MessagingLifecycle, PeriodicRun } from '@conduct/service-runtime';
import { NotificationServiceConfig } from '../../notification-service.config';
import { QueuedMessage } from '../intake/notice-queue';
import { appendNoticeEvent, NoticeContext } from '../notice-events';
import { MailSender, SendFailure } from './mail-sender';

interface PendingRow {
  notification_id: string;
  case_id: string | null;
  approval_id: string | null;
  attempts: number;
  message: QueuedMessage;
  context: NoticeContext;
}

/** Each worker holds a database connection while it sends (the row lock): leave most of the pool (20) to the rest of the service. */
const MAX_WORKERS = 10;

/** The pause after failed attempt `attempt` (1-based): base, 2·base, 4·base, … */
export const retryDelayMs = (baseMs: number, attempt: number): number => baseMs * 2 ** (attempt - 1);

/**
 * Sends due notices. Each send happens inside the transaction that claimed its pending row
 * (`FOR UPDATE SKIP LOCKED`) and records its outcome there: NotificationSent and the row deleted,
 * or NotificationFailed and the row rescheduled (exponential backoff) or, after
 * NOTICE_MAX_ATTEMPTS or a permanent 5xx rejection, deleted as failed for good. Replicas skip each
 * other's rows; a cancellation waits for the send in flight.
 *
 * The one window left: the mail server accepts the message and the process dies before the
 * commit. The row is still there, so the notice is sent again, with the same Message-ID (mail
 * clients and most servers fold the two into one). Closing it would need the mail server to take
 * part in the transaction, which SMTP cannot.
 */
@Injectable()
export class NoticeDispatcher extends PeriodicRun {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailSender,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: NotificationServiceConfig,
    private readonly messaging: MessagingLifecycle,
    logger: PinoLogger,
  ) {
    super(logger, config.DISPATCH_INTERVAL_MS);
    this.logger.setContext(NoticeDispatcher.name);
  }

  /** Sends every notice due now (one worker per pooled SMTP connection, at most MAX_WORKERS); returns how many attempts it made. */
  protected async run(): Promise<number> {
    const now = this.clock.now();
    const workers = Array.from({ length: Math.min(this.config.SMTP_POOL_SIZE, MAX_WORKERS) }, async () => {
      let attempts = 0;
      while (await this.attemptOne(now)) attempts += 1;
      return attempts;
    });
    const attempts = (await Promise.all(workers)).reduce((sum, count) => sum + count, 0);
    if (attempts > 0) this.messaging.nudgeRelay();
    return attempts;
  }

  /** Claims one due notice and tries it; false when none is due (or all due ones are taken). */
  private attemptOne(dueAt: Date): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<PendingRow[]>(
        `SELECT notification_id, case_id, approval_id, attempts, message, context FROM pending_notices
          WHERE next_attempt_at <= $1 ORDER BY next_attempt_at, notification_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [dueAt],
      );
      if (!row) return false;
      const attempt = row.attempts + 1;
      let failure: SendFailure | undefined;
      let messageId = '';
      try {
        messageId = await this.mail.send(row.notification_id, row.message);
      } catch (error) {
        if (!(error instanceof SendFailure)) throw error;
        failure = error;
      }
      if (failure) await this.recordFailure(manager, row, attempt, failure);
      else await this.recordSent(manager, row, attempt, messageId);
      return true;
    });
  }

  private async recordSent(manager: EntityManager, row: PendingRow, attempt: number, messageId: string): Promise<void> {
    const sentAt = this.clock.now().toISOString();
    const ids = subjectOf(row);
    await appendNoticeEvent(manager, row.notification_id, 'NotificationSent', { notificationId: row.notification_id, ...ids, attempt, messageId, sentAt }, row.context, sentAt);
    await manager.query(`DELETE FROM pending_notices WHERE notification_id = $1`, [row.notification_id]);
    await this.log(manager, row.notification_id, 'sent', null, { attempt, outcome: 'sent', messageId, at: sentAt }, sentAt);
  }

  private async recordFailure(manager: EntityManager, row: PendingRow, attempt: number, failure: SendFailure): Promise<void> {
    const failedAt = this.clock.now();
    const final = failure.permanent || attempt >= this.config.NOTICE_MAX_ATTEMPTS;
    const nextAttemptAt = final ? undefined : new Date(failedAt.getTime() + retryDelayMs(this.config.NOTICE_RETRY_BASE_MS, attempt));
    const at = failedAt.toISOString();
    await appendNoticeEvent(
      manager,
      row.notification_id,
      'NotificationFailed',
      { notificationId: row.notification_id, ...subjectOf(row), attempt, reason: failure.message, final, ...(nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}), failedAt: at },
      row.context,
      at,
    );
    if (final) await manager.query(`DELETE FROM pending_notices WHERE notification_id = $1`, [row.notification_id]);
    else await manager.query(`UPDATE pending_notices SET attempts = $2, next_attempt_at = $3 WHERE notification_id = $1`, [row.notification_id, attempt, nextAttemptAt]);
    this.logger.warn({ notificationId: row.notification_id, attempt, final, reason: failure.message }, 'notice not sent');
    await this.log(manager, row.notification_id, final ? 'failed' : 'retrying', failure.message, { attempt, outcome: 'failed', reason: failure.message, final, at, ...(nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}) }, at);
  }

  private log(manager: EntityManager, notificationId: string, status: string, reason: string | null, attempt: object, at: string): Promise<unknown> {
    return manager.query(
      `UPDATE notifications_log SET status = $2, reason = $3, attempts = attempts || $4::jsonb, updated_at = $5 WHERE notification_id = $1`,
      [notificationId, status, reason, JSON.stringify([attempt]), at],
    );
  }
}

/** The case or approval a notice is about, on each of its events (reporting's timeline keys on them). */
const subjectOf = (row: PendingRow): { caseId?: string; approvalId?: string } => ({
  ...(row.case_id ? { caseId: row.case_id } : {}),
  ...(row.approval_id ? { approvalId: row.approval_id } : {}),
});
