import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource, EntityManager } from 'typeorm';
import { SpanKind } from '@opentelemetry/api';
import { endSpan, EventStore, spanContinuing } from '@conduct/event-store';
import { ERASED, PersonalDataKeys } from '@conduct/personal-data';
import { sharedCounter } from '@conduct/messaging';
import { Backlog, CLOCK, Clock, MessagingLifecycle, PeriodicRun } from '@conduct/event-sourcing';
import { NotificationServiceConfig } from '../../notification-service.config';
import { QueuedMessage, recordCancelled } from '../intake/notice-queue';
import { appendNoticeEvent, NoticeContext } from '../notice-events';
import { escapeHtml } from '../templates/notice-templates';
import { MailSender, SendFailure } from './mail-sender';

interface PendingRow {
  notification_id: string;
  kind: string;
  case_id: string | null;
  approval_id: string | null;
  attempts: number;
  message: QueuedMessage;
  context: NoticeContext;
  trace_context: string | null;
}

const sendAttempts = () =>
  sharedCounter(
    'conduct_notice_send_attempts_total',
    'Attempts to hand a notice to the mail server, by notice kind and outcome (sent, failed, rejected for good)',
    ['kind', 'outcome'],
  );

/** Notices due and not sent yet (retries included, cancelled ones not), since they became due. */
export const noticeBacklog: Backlog = {
  name: 'notices',
  sql: `SELECT count(*) AS items, min(send_after) AS oldest FROM pending_notices WHERE send_after <= $1 AND cancel_reason IS NULL`,
};

/** Concurrent sends; each holds a pooled SMTP connection (no database connection while it sends). */
const MAX_WORKERS = 10;

/** The pause after failed attempt `attempt` (1-based): base, 2·base, 4·base, … */
export const retryDelayMs = (baseMs: number, attempt: number): number => baseMs * 2 ** (attempt - 1);

/**
 * Sends due notices. A pending row is claimed with a lease (token + expiry, committed at once, so
 * replicas never take the same row), the mail is sent with no transaction open, and the outcome
 * is recorded in a second transaction only if the lease is still ours: NotificationSent and the
 * row deleted, or NotificationFailed and the row rescheduled (exponential backoff) or, after
 * NOTICE_MAX_ATTEMPTS or a permanent 5xx rejection, deleted as failed for good. A cancellation
 * that came during the send is settled then: a sent notice stays sent, an unsent one is cancelled.
 * (ADR 7 held the row lock across the send instead; a slow mail server then held back every relay
 * of the cluster, which read only below the oldest open transaction.)
 *
 * The one window left: the mail server accepts the message and the process dies (or freezes past
 * its lease, NOTICE_LEASE_MS) before recording it. The row is still there, so once the lease has run out the notice
 * is sent again, with the same Message-ID (mail clients and most servers fold the two into one).
 * Closing it would need the mail server to take part in the transaction, which SMTP cannot.
 */
@Injectable()
export class NoticeDispatcher extends PeriodicRun {
  // Registered with the dispatcher, so that /metrics names it before the first attempt.
  private readonly sendAttempts = sendAttempts();

  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailSender,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: NotificationServiceConfig,
    private readonly messaging: MessagingLifecycle,
    private readonly store: EventStore,
    private readonly personalData: PersonalDataKeys,
    logger: PinoLogger,
  ) {
    super(logger, config.DISPATCH_INTERVAL_MS, 'notice_dispatcher');
    this.logger.setContext(NoticeDispatcher.name);
  }

  /** Sends every notice due now (one worker per pooled SMTP connection, at most MAX_WORKERS); returns how many attempts it made. */
  protected async run(): Promise<number> {
    const now = this.clock.now();
    await this.settleAbandonedCancellations(now);
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
  private async attemptOne(dueAt: Date): Promise<boolean> {
    const leaseToken = randomUUID();
    const now = this.clock.now();
    // TypeORM answers an UPDATE with [rows, affected count].
    const [[row]] = await this.dataSource.query<[PendingRow[], number]>(
      `UPDATE pending_notices SET lease_token = $2, lease_until = $3
        WHERE notification_id = (
          SELECT notification_id FROM pending_notices
           WHERE next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $4) AND cancel_reason IS NULL
           ORDER BY next_attempt_at, notification_id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING notification_id, kind, case_id, approval_id, attempts, message, context, trace_context`,
      [dueAt, leaseToken, new Date(now.getTime() + this.config.NOTICE_LEASE_MS), now],
    );
    if (!row) return false;
    const attempt = row.attempts + 1;
    const span = spanContinuing(row.trace_context, `send notice ${row.kind}`, SpanKind.CLIENT, {
      'conduct.notification.id': row.notification_id,
      'conduct.notice.kind': row.kind,
      'conduct.attempt': attempt,
    });
    let outcome: { messageId: string } | { failure: SendFailure };
    try {
      outcome = { messageId: await this.mail.send(row.notification_id, await this.opened(row.message)) };
    } catch (error) {
      if (!(error instanceof SendFailure)) {
        endSpan(span, 'error', error);
        throw error;
      }
      outcome = { failure: error };
    }
    const sent = 'messageId' in outcome ? 'sent' : outcome.failure.permanent ? 'rejected' : 'failed';
    endSpan(span, sent, 'failure' in outcome ? outcome.failure : undefined);
    this.sendAttempts.inc({ kind: row.kind, outcome: sent });
    await this.dataSource.transaction(async (manager) => {
      const [held] = await manager.query<{ cancel_reason: string | null }[]>(
        `SELECT cancel_reason FROM pending_notices WHERE notification_id = $1 AND lease_token = $2 FOR UPDATE`,
        [row.notification_id, leaseToken],
      );
      if (!held) {
        this.logger.warn({ notificationId: row.notification_id }, 'the lease of a notice ran out before its attempt was recorded');
        return;
      }
      if ('messageId' in outcome) await this.recordSent(manager, row, attempt, outcome.messageId);
      else if (held.cancel_reason) await this.recordCancelledAfterFailure(manager, row, attempt, outcome.failure, held.cancel_reason);
      else await this.recordFailure(manager, row, attempt, outcome.failure);
    });
    return true;
  }

  /**
   * Cancellations that met a send in flight whose dispatcher then died (its lease ran out): the
   * notice is recorded as cancelled. Were it accepted by the mail server just before the death,
   * it went out all the same: the documented window, here seen from the cancelling side.
   */
  private async settleAbandonedCancellations(now: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // As a SELECT: TypeORM answers a bare DELETE … RETURNING with [rows, count].
      const rows = await manager.query<{ notification_id: string; case_id: string | null; context: NoticeContext; cancel_reason: string }[]>(
        `WITH taken AS (
           DELETE FROM pending_notices WHERE notification_id IN (
             SELECT notification_id FROM pending_notices WHERE cancel_reason IS NOT NULL AND lease_until <= $1 FOR UPDATE SKIP LOCKED)
           RETURNING notification_id, case_id, context, cancel_reason)
         SELECT * FROM taken`,
        [now],
      );
      for (const row of rows) await recordCancelled(this.store, manager, row, row.cancel_reason, now.toISOString());
    });
  }

  /** A send that failed while a cancellation waited: the attempt is recorded, then the cancellation. */
  private async recordCancelledAfterFailure(
    manager: EntityManager,
    row: PendingRow,
    attempt: number,
    failure: SendFailure,
    reason: string,
  ): Promise<void> {
    const at = this.clock.now().toISOString();
    await appendNoticeEvent(
      this.store,
      manager,
      row.notification_id,
      'NotificationFailed',
      { notificationId: row.notification_id, ...subjectOf(row), attempt, reason: failure.message, final: true, failedAt: at },
      row.context,
      at,
    );
    await manager.query(`DELETE FROM pending_notices WHERE notification_id = $1`, [row.notification_id]);
    await recordCancelled(this.store, manager, row, reason, at);
  }

  /**
   * The message as mailed: the stored one holds an officer's own name and address sealed (ADR 21),
   * opened only now, as text in the HTML part. An address erased since cannot be mailed: refused
   * for good, not retried.
   */
  private async opened(message: QueuedMessage): Promise<QueuedMessage> {
    const { html, ...text } = message;
    const opened = { ...(await this.personalData.open(text)), html: await this.personalData.open(html, { escape: escapeHtml }) };
    if (opened.to === ERASED) throw new SendFailure("the recipient's personal data was erased", true);
    return opened;
  }

  private async recordSent(manager: EntityManager, row: PendingRow, attempt: number, messageId: string): Promise<void> {
    const sentAt = this.clock.now().toISOString();
    const ids = subjectOf(row);
    await appendNoticeEvent(
      this.store,
      manager,
      row.notification_id,
      'NotificationSent',
      { notificationId: row.notification_id, ...ids, attempt, messageId, sentAt },
      row.context,
      sentAt,
    );
    await manager.query(`DELETE FROM pending_notices WHERE notification_id = $1`, [row.notification_id]);
    await this.log(manager, row.notification_id, 'sent', null, { attempt, outcome: 'sent', messageId, at: sentAt }, sentAt);
  }

  private async recordFailure(manager: EntityManager, row: PendingRow, attempt: number, failure: SendFailure): Promise<void> {
    const failedAt = this.clock.now();
    const final = failure.permanent || attempt >= this.config.NOTICE_MAX_ATTEMPTS;
    const nextAttemptAt = final ? undefined : new Date(failedAt.getTime() + retryDelayMs(this.config.NOTICE_RETRY_BASE_MS, attempt));
    const at = failedAt.toISOString();
    await appendNoticeEvent(
      this.store,
      manager,
      row.notification_id,
      'NotificationFailed',
      {
        notificationId: row.notification_id,
        ...subjectOf(row),
        attempt,
        reason: failure.message,
        final,
        ...(nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}),
        failedAt: at,
      },
      row.context,
      at,
    );
    if (final) await manager.query(`DELETE FROM pending_notices WHERE notification_id = $1`, [row.notification_id]);
    else {
      await manager.query(
        `UPDATE pending_notices SET attempts = $2, next_attempt_at = $3, lease_token = NULL, lease_until = NULL WHERE notification_id = $1`,
        [row.notification_id, attempt, nextAttemptAt],
      );
    }
    this.logger.warn({ notificationId: row.notification_id, attempt, final, reason: failure.message }, 'notice not sent');
    await this.log(
      manager,
      row.notification_id,
      final ? 'failed' : 'retrying',
      failure.message,
      { attempt, outcome: 'failed', reason: failure.message, final, at, ...(nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}) },
      at,
    );
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
