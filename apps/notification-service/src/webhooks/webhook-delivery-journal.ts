import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Actor, EventStore, Jurisdiction } from '@conduct/event-store';
import {
  NotificationStreamTypes,
  WebhookDeliveredV1,
  WebhookDeliveryFailedV1,
  WebhookDeliveryQueuedV1,
  WebhookRedeliveryRequestedV1,
} from '@conduct/notifications-contracts';

/** The service itself queues and sends deliveries: no person acts. */
export const WEBHOOK_ACTOR: Actor = { id: 'system:webhooks', role: 'SYSTEM' };

export type DeliveryEvent =
  | { type: 'WebhookDeliveryQueued'; data: WebhookDeliveryQueuedV1 }
  | { type: 'WebhookDelivered'; data: WebhookDeliveredV1 }
  | { type: 'WebhookDeliveryFailed'; data: WebhookDeliveryFailedV1 }
  | { type: 'WebhookRedeliveryRequested'; data: WebhookRedeliveryRequestedV1 };

export interface DeliveryEventContext {
  deliveryId: string;
  /** The delivery stream's version before this event (0 for WebhookDeliveryQueued). */
  expectedVersion: number;
  actor: Actor;
  correlationId: string;
  causationId?: string;
  /** The jurisdiction of the event being delivered, so scope checks and reports place the delivery. */
  jurisdiction?: Jurisdiction | null;
  occurredAt: string;
}

const LOG_KIND: Record<DeliveryEvent['type'], string> = {
  WebhookDeliveryQueued: 'queued',
  WebhookDelivered: 'delivered',
  WebhookDeliveryFailed: 'failed',
  WebhookRedeliveryRequested: 'redelivery-requested',
};

/**
 * Appends one event to a delivery's stream and its line in `webhook_delivery_log`, in the caller's
 * transaction: the published trail (conduct.notifications.v1, through the relay) and the attempt
 * history the API shows can never disagree. Returns the stream's new version.
 */
export async function recordDeliveryEvent(
  store: EventStore,
  manager: EntityManager,
  context: DeliveryEventContext,
  event: DeliveryEvent,
): Promise<number> {
  const eventId = randomUUID();
  const { deliveryId, expectedVersion, actor, correlationId, causationId, jurisdiction, occurredAt } = context;
  await store.append(
    deliveryId,
    NotificationStreamTypes.webhookDelivery,
    expectedVersion,
    [
      {
        eventId,
        type: event.type,
        data: { ...event.data },
        metadata: {
          actor,
          correlationId,
          occurredAt,
          ...(causationId ? { causationId } : {}),
          ...(jurisdiction ? { jurisdiction } : {}),
        },
      },
    ],
    { manager },
  );
  const version = expectedVersion + 1;
  const data = event.data as Partial<WebhookDeliveryFailedV1 & WebhookDeliveredV1>;
  await manager.query(
    `INSERT INTO webhook_delivery_log (delivery_id, stream_version, event_id, kind, attempt, status_code, reason, dead, next_attempt_at, actor, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      deliveryId,
      version,
      eventId,
      LOG_KIND[event.type],
      data.attempt ?? null,
      data.statusCode ?? null,
      data.reason ?? null,
      data.dead ?? false,
      data.nextAttemptAt ?? null,
      actor.id,
      occurredAt,
    ],
  );
  return version;
}
