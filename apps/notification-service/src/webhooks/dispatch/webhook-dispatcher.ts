import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { SpanKind } from '@opentelemetry/api';
import { endSpan, EventStore, Jurisdiction, spanContinuing } from '@conduct/event-store';
import { isSealed, PersonalDataKeys } from '@conduct/personal-data';
import { sharedCounter } from '@conduct/messaging';
import { signatureHeader, WebhookHeaders } from '@conduct/notifications-contracts';
import { Backlog, CLOCK, Clock, MessagingLifecycle, PeriodicRun } from '@conduct/event-sourcing';
import { AttemptOutcome, DeliveryPolicy } from '@conduct/notifications-domain';
import { NotificationServiceConfig } from '../../notification-service.config';
import { runDeliveryCommand, WEBHOOK_ACTOR } from '../deliveries/webhook-delivery-commands';
import { SecretBox } from '../subscriptions/secret-box';
import { ForbiddenWebhookTargetError, postToTarget, WebhookTargets } from '../subscriptions/webhook-targets';

const deliveryAttempts = () =>
  sharedCounter('conduct_webhook_attempts_total', 'Webhook POSTs, by subscription (one target each) and outcome (delivered: a 2xx answer)', [
    'subscription',
    'outcome',
  ]);

/** Deliveries not yet delivered or dead, since they were queued; a deactivated subscription's wait parked and are left out. */
export const webhookDeliveryBacklog: Backlog = {
  name: 'webhook_deliveries',
  sql: `SELECT count(*) AS items, min(d.queued_at) AS oldest
          FROM webhook_deliveries d JOIN webhook_subscriptions s USING (subscription_id)
         WHERE d.status = 'pending' AND s.active AND d.queued_at <= $1`,
};

/** Deliveries claimed and sent together; a slow receiver holds up at most this many of them. */
const CLAIM_BATCH = 20;
/** A run stops after this many attempts (the next interval goes on), which bounds the list of ids it excludes. */
const MAX_ATTEMPTS_PER_RUN = 1_000;
/** Slack on top of the request timeout before another replica may take a claimed delivery over. */
const LEASE_SLACK_MS = 30_000;

interface ClaimedDelivery {
  delivery_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  case_id: string | null;
  envelope: string;
  target_url: string;
  /** Sealed (SecretBox): opened only to sign. */
  secret: string;
  trace_context: string | null;
}

interface LeasedRow {
  jurisdiction: Jurisdiction | null;
  correlation_id: string;
}

/**
 * Sends due webhook deliveries and records each attempt.
 *
 * Claiming is one short statement: due rows are picked with `FOR UPDATE SKIP LOCKED` and given a
 * lease (token + expiry) that commits at once, so two replicas never take the same row. The POST
 * then runs outside any transaction, and the outcome is recorded in a second short transaction
 * (event on the delivery's stream + row update) only if the lease is still ours. Holding a row
 * lock across the HTTP call would keep a transaction id open for up to WEBHOOK_TIMEOUT_MS, and
 * every outbox relay on the cluster waits for the oldest open transaction (docs/adr/0003).
 *
 * The one window where a receiver can get a delivery twice: it answered, and this process died
 * before recording it; the lease expires and another attempt follows. Receivers dedupe on the
 * delivery id (webhook-id). DueWorkWatcher is not used because it acts on items one at a
 * time, and a batch of slow receivers would outlive the leases.
 */
@Injectable()
export class WebhookDispatcher extends PeriodicRun {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: NotificationServiceConfig,
    private readonly messaging: MessagingLifecycle,
    private readonly targets: WebhookTargets,
    private readonly secrets: SecretBox,
    private readonly store: EventStore,
    private readonly personalData: PersonalDataKeys,
    logger: PinoLogger,
  ) {
    super(logger, config.DISPATCH_INTERVAL_MS, 'webhook_dispatcher');
    this.logger.setContext(WebhookDispatcher.name);
    this.policy = { maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, retryBaseMs: config.WEBHOOK_RETRY_BASE_MS, retryMaxMs: config.WEBHOOK_RETRY_MAX_MS };
  }

  private readonly policy: DeliveryPolicy;
  // Registered with the dispatcher, so that /metrics names it before the first attempt.
  private readonly deliveryAttempts = deliveryAttempts();
  /** The fan-out queued a delivery since the last `sendQueued`. */
  private queuedSinceSend = false;

  /** The fan-out queued a delivery, in a transaction that has yet to commit. */
  deliveryQueued(): void {
    this.queuedSinceSend = true;
  }

  /**
   * After each fan-out commit: sends what it queued now instead of at the next tick, and costs
   * nothing when it queued nothing (most events match no subscription). A rolled-back queueing
   * only makes one run find nothing.
   */
  sendQueued(): void {
    if (!this.queuedSinceSend) return;
    this.queuedSinceSend = false;
    this.nudge();
  }

  /** Sends the deliveries due now (up to MAX_ATTEMPTS_PER_RUN), once each; returns how many attempts it made. */
  protected async run(): Promise<number> {
    const attempted: string[] = [];
    while (attempted.length < MAX_ATTEMPTS_PER_RUN) {
      // A delivery that failed in this run is not retried in it, even if its backoff is already over.
      const claimed = await this.claim(attempted);
      if (claimed.deliveries.length === 0) break;
      await Promise.all(claimed.deliveries.map((delivery) => this.attempt(delivery, claimed.leaseToken)));
      attempted.push(...claimed.deliveries.map((delivery) => delivery.delivery_id));
    }
    if (attempted.length > 0) {
      this.messaging.nudgeRelay();
      this.logger.info({ attempts: attempted.length }, 'webhook deliveries attempted');
    }
    return attempted.length;
  }

  private async claim(exclude: string[]): Promise<{ leaseToken: string; deliveries: ClaimedDelivery[] }> {
    const now = this.clock.now();
    const leaseToken = randomUUID();
    const leaseUntil = new Date(now.getTime() + this.config.WEBHOOK_TIMEOUT_MS + LEASE_SLACK_MS);
    // Deliveries of a deactivated subscription stay parked, unsent.
    // TypeORM answers an UPDATE with [rows, affected count].
    const [deliveries] = await this.dataSource.query<[ClaimedDelivery[], number]>(
      `WITH due AS (
         SELECT d.delivery_id FROM webhook_deliveries d JOIN webhook_subscriptions s USING (subscription_id)
          WHERE d.status = 'pending' AND s.active AND d.next_attempt_at <= $1
            AND (d.lease_until IS NULL OR d.lease_until <= $1) AND NOT (d.delivery_id = ANY ($2::uuid[]))
          ORDER BY d.next_attempt_at LIMIT $3
          FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_deliveries d SET lease_token = $4, lease_until = $5
         FROM due, webhook_subscriptions s
        WHERE d.delivery_id = due.delivery_id AND s.subscription_id = d.subscription_id
       RETURNING d.delivery_id, d.subscription_id, d.event_id, d.event_type, d.case_id, d.envelope, s.target_url, s.secret, d.trace_context`,
      [now, exclude, CLAIM_BATCH, leaseToken, leaseUntil],
    );
    return { leaseToken, deliveries };
  }

  private async attempt(delivery: ClaimedDelivery, leaseToken: string): Promise<void> {
    const span = spanContinuing(delivery.trace_context, 'deliver webhook', SpanKind.CLIENT, {
      'conduct.webhook.subscription': delivery.subscription_id,
      'conduct.webhook.delivery': delivery.delivery_id,
      'conduct.event.type': delivery.event_type,
    });
    const outcome = await this.post(delivery);
    if (outcome.statusCode !== undefined) span?.setAttribute('http.response.status_code', outcome.statusCode);
    endSpan(span, outcome.delivered ? 'delivered' : 'failed', outcome.delivered ? undefined : outcome.reason);
    this.deliveryAttempts.inc({ subscription: delivery.subscription_id, outcome: outcome.delivered ? 'delivered' : 'failed' });
    try {
      await this.record(delivery, leaseToken, outcome);
    } catch (error) {
      // The lease runs out and a later run tries again: at least once, never silently dropped.
      this.logger.error({ err: error, deliveryId: delivery.delivery_id }, 'could not record a webhook attempt');
    }
  }

  /**
   * The body as the subscriber receives it: a delivery granted personal data is stored with names
   * and addresses sealed (ADR 21) and opened only now, so a person erased since reads `[erased]`.
   */
  private async opened(envelope: string): Promise<string> {
    if (!isSealed(envelope)) return envelope;
    return JSON.stringify(await this.personalData.open(JSON.parse(envelope) as unknown));
  }

  private async post(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const body = await this.opened(delivery.envelope);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Conduct-Webhooks/1',
      [WebhookHeaders.id]: delivery.delivery_id,
      [WebhookHeaders.timestamp]: String(timestamp),
      [WebhookHeaders.signature]: signatureHeader(
        this.secrets.open(delivery.secret, delivery.subscription_id),
        delivery.delivery_id,
        timestamp,
        body,
      ),
      [WebhookHeaders.eventType]: delivery.event_type,
    };
    try {
      const { statusCode, statusText } = await postToTarget(this.targets, delivery.target_url, headers, body, this.config.WEBHOOK_TIMEOUT_MS);
      if (statusCode >= 200 && statusCode < 300) return { delivered: true, statusCode };
      return { delivered: false, statusCode, reason: `HTTP ${statusCode}${statusText ? ` ${statusText}` : ''}` };
    } catch (error) {
      return { delivered: false, reason: describeSendError(error, this.config.WEBHOOK_TIMEOUT_MS) };
    }
  }

  private async record(delivery: ClaimedDelivery, leaseToken: string, outcome: AttemptOutcome): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<LeasedRow[]>(
        `SELECT jurisdiction, correlation_id FROM webhook_deliveries WHERE delivery_id = $1 AND lease_token = $2 FOR UPDATE`,
        [delivery.delivery_id, leaseToken],
      );
      if (!row) {
        this.logger.warn({ deliveryId: delivery.delivery_id }, 'the lease of a webhook delivery ran out before its attempt was recorded');
        return;
      }
      const now = this.clock.now();
      // 410 Gone: the receiver says the endpoint is retired for good. Stop the subscription rather
      // than keep sending it every event with retries (the delivery itself is dead at once).
      if (!outcome.delivered && outcome.statusCode === 410) {
        await manager.query(
          `UPDATE webhook_subscriptions SET active = false, deactivated_by = $2, deactivated_at = $3 WHERE subscription_id = $1 AND active`,
          [delivery.subscription_id, WEBHOOK_ACTOR.id, now],
        );
      }
      await runDeliveryCommand(
        this.store,
        manager,
        { type: 'RecordAttempt', outcome, at: now.toISOString(), policy: this.policy, jitter: Math.random() },
        {
          deliveryId: delivery.delivery_id,
          actor: WEBHOOK_ACTOR,
          correlationId: row.correlation_id,
          causationId: delivery.event_id,
          jurisdiction: row.jurisdiction,
          occurredAt: now.toISOString(),
        },
      );
    });
  }
}

/**
 * "timeout after 5000 ms", "ECONNREFUSED", "<host> resolves to an address webhooks may not reach":
 * what the receiver's operator needs to look for, and no more (no internal address or port).
 */
function describeSendError(error: unknown, timeoutMs: number): string {
  if (error instanceof ForbiddenWebhookTargetError) return error.reason;
  // Duck-typed: node's errors may come from another realm than this module's Error (e.g. under jest).
  const { name, code, message } = (typeof error === 'object' && error !== null ? error : {}) as { name?: string; code?: string; message?: string };
  if (name === 'TimeoutError' || name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  return code ?? message ?? String(error);
}
