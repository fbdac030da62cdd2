import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { EventStore, Jurisdiction } from '@conduct/event-store';
import { CLOCK, Clock, eventActorOf, MessagingLifecycle } from '@conduct/event-sourcing';
import { Filters, Page } from '@conduct/queries';
import { WebhookDeliveriesQueryDto } from './webhook-deliveries.dto';
import { runDeliveryCommand } from './webhook-delivery-commands';
import { ownerFilter } from '../subscriptions/webhook-subscriptions';
import { WebhookDispatcher } from '../dispatch/webhook-dispatcher';

export interface WebhookDeliveryView {
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  caseId: string | null;
  approvalId: string | null;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  queuedAt: string;
  deliveredAt: string | null;
  updatedAt: string;
}

export interface WebhookDeliveryLogEntry {
  version: number;
  kind: string;
  attempt: number | null;
  statusCode: number | null;
  reason: string | null;
  dead: boolean;
  nextAttemptAt: string | null;
  actor: string;
  at: string;
}

/** One delivery with the envelope it sends and every step of its history, oldest first. */
export type WebhookDeliveryDetail = WebhookDeliveryView & { event: unknown; history: WebhookDeliveryLogEntry[] };

interface DeliveryRow {
  delivery_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  case_id: string | null;
  approval_id: string | null;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  queued_at: Date;
  delivered_at: Date | null;
  updated_at: Date;
  envelope: string;
  jurisdiction: Jurisdiction | null;
  stream_version: number;
}

interface LogRow {
  stream_version: number;
  kind: string;
  attempt: number | null;
  status_code: number | null;
  reason: string | null;
  dead: boolean;
  next_attempt_at: Date | null;
  actor: string;
  at: Date;
}

const OWN_SUBSCRIPTIONS = 'subscription_id IN (SELECT subscription_id FROM webhook_subscriptions WHERE created_by = ?)';

const deliveryNotFound = (deliveryId: string): DomainError =>
  new DomainError('not-found', 'webhook.delivery-not-found', `There is no webhook delivery ${deliveryId} of yours`);

/** The delivery log (`webhook_deliveries` + `webhook_delivery_log`) and the one command on it: redeliver. */
@Injectable()
export class WebhookDeliveries {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly messaging: MessagingLifecycle,
    private readonly store: EventStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async list(filters: WebhookDeliveriesQueryDto, principal: Principal): Promise<Page<WebhookDeliveryView>> {
    const conditions = new Filters()
      .equals('subscription_id', filters.subscriptionId)
      .equals('case_id', filters.caseId)
      .equals('status', filters.status)
      .equals('event_type', filters.eventType);
    const owner = ownerFilter(principal);
    if (owner !== undefined) conditions.where(OWN_SUBSCRIPTIONS, owner);
    const page = await conditions.page<DeliveryRow>(this.dataSource.manager, 'webhook_deliveries', 'queued_at DESC, delivery_id', filters);
    return { ...page, items: page.items.map(toView) };
  }

  async get(deliveryId: string, principal: Principal): Promise<WebhookDeliveryDetail> {
    const row = await this.find(deliveryId, principal);
    const log = await this.dataSource.query<LogRow[]>(
      `SELECT stream_version, kind, attempt, status_code, reason, dead, next_attempt_at, actor, at
         FROM webhook_delivery_log WHERE delivery_id = $1 ORDER BY stream_version`,
      [deliveryId],
    );
    return { ...toView(row), event: JSON.parse(row.envelope) as unknown, history: log.map(toLogEntry) };
  }

  /**
   * Sends a delivered or dead delivery again, due now, with a fresh count of attempts. A pending
   * one is refused (409): it is still being tried. The same delivery id goes out again, so a
   * receiver that already has it can recognise the repeat.
   */
  async redeliver(deliveryId: string, principal: Principal, correlationId: string): Promise<WebhookDeliveryView> {
    await this.find(deliveryId, principal);
    await this.dataSource.transaction(async (manager) => {
      // The row lock orders this command after an attempt being recorded for the same delivery.
      const [row] = await manager.query<DeliveryRow[]>(`SELECT jurisdiction FROM webhook_deliveries WHERE delivery_id = $1 FOR UPDATE`, [deliveryId]);
      if (!row) throw deliveryNotFound(deliveryId);
      const now = this.clock.now().toISOString();
      await runDeliveryCommand(
        this.store,
        manager,
        { type: 'RequestRedelivery', requestedBy: principal.subject, at: now },
        { deliveryId, actor: eventActorOf(principal), correlationId, jurisdiction: row.jurisdiction, occurredAt: now },
      );
    });
    this.messaging.nudgeRelay();
    // Due now: sent at once, not at the next tick.
    this.dispatcher.nudge();
    return toView(await this.find(deliveryId, principal));
  }

  private async find(deliveryId: string, principal: Principal): Promise<DeliveryRow> {
    const owner = ownerFilter(principal);
    const [row] = await this.dataSource.query<DeliveryRow[]>(
      `SELECT * FROM webhook_deliveries WHERE delivery_id = $1 AND ($2::text IS NULL OR ${OWN_SUBSCRIPTIONS.replace('?', '$2')})`,
      [deliveryId, owner ?? null],
    );
    if (!row) throw deliveryNotFound(deliveryId);
    return row;
  }
}

const toView = (row: DeliveryRow): WebhookDeliveryView => ({
  deliveryId: row.delivery_id,
  subscriptionId: row.subscription_id,
  eventId: row.event_id,
  eventType: row.event_type,
  caseId: row.case_id,
  approvalId: row.approval_id,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
  lastStatusCode: row.last_status_code,
  lastError: row.last_error,
  queuedAt: row.queued_at.toISOString(),
  deliveredAt: row.delivered_at?.toISOString() ?? null,
  updatedAt: row.updated_at.toISOString(),
});

const toLogEntry = (row: LogRow): WebhookDeliveryLogEntry => ({
  version: row.stream_version,
  kind: row.kind,
  attempt: row.attempt,
  statusCode: row.status_code,
  reason: row.reason,
  dead: row.dead,
  nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
  actor: row.actor,
  at: row.at.toISOString(),
});
