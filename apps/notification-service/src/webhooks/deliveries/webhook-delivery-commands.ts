import { EntityManager } from 'typeorm';
import { Actor, EventStore, executeCommand, Jurisdiction, RecordedEvent } from '@conduct/event-store';
import {
  WEBHOOK_DELIVERY_STREAM_TYPE,
  webhookDeliveryDecider,
  WebhookDeliveryCommand,
  WebhookDeliveryEvent,
  WebhookDeliveryState,
} from '@conduct/notifications-domain';

/** The service itself queues and sends deliveries: no person acts. */
export const WEBHOOK_ACTOR: Actor = { id: 'system:webhooks', role: 'SYSTEM' };

/** Who acts and under which correlation; the jurisdiction of the event delivered places the delivery for scope checks and reports. */
export interface DeliveryCommandContext {
  deliveryId: string;
  actor: Actor;
  correlationId: string;
  causationId?: string;
  jurisdiction?: Jurisdiction | null;
  occurredAt: string;
}

const LOG_KIND: Record<WebhookDeliveryEvent['type'], string> = {
  WebhookDeliveryQueued: 'queued',
  WebhookDelivered: 'delivered',
  WebhookDeliveryFailed: 'failed',
  WebhookRedeliveryRequested: 'redelivery-requested',
};

/**
 * Runs a command on a delivery's stream in the caller's transaction. The decider decides on the
 * stream's own events; each new event is appended (published through the relay) with its line in
 * `webhook_delivery_log`, the history the API shows; and the delivery's `webhook_deliveries` row
 * is projected from the state after. That row — what the dispatcher claims and the API lists — is
 * written nowhere else, so the three can never disagree. Answers the state and the stream's version.
 */
export async function runDeliveryCommand(
  store: EventStore,
  manager: EntityManager,
  command: WebhookDeliveryCommand,
  context: DeliveryCommandContext,
): Promise<{ state: WebhookDeliveryState; version: number }> {
  const { deliveryId, actor, correlationId, causationId, jurisdiction, occurredAt } = context;
  const metadata = {
    actor,
    correlationId,
    occurredAt,
    ...(causationId ? { causationId } : {}),
    ...(jurisdiction ? { jurisdiction } : {}),
  };
  const result = await executeCommand(store, webhookDeliveryDecider, { id: deliveryId, type: WEBHOOK_DELIVERY_STREAM_TYPE }, command, {
    metadata,
    manager,
  });
  for (const event of result.events) await logLine(manager, event, actor, occurredAt);
  if (result.events.length > 0) await project(manager, result.state, result.version, occurredAt);
  return { state: result.state, version: result.version };
}

async function logLine(manager: EntityManager, event: RecordedEvent, actor: Actor, at: string): Promise<void> {
  const data = event.data as Partial<{ attempt: number; statusCode: number; reason: string; dead: boolean; nextAttemptAt: string }>;
  await manager.query(
    `INSERT INTO webhook_delivery_log (delivery_id, stream_version, event_id, kind, attempt, status_code, reason, dead, next_attempt_at, actor, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      event.streamId,
      event.streamVersion,
      event.eventId,
      LOG_KIND[event.type as WebhookDeliveryEvent['type']],
      data.attempt ?? null,
      data.statusCode ?? null,
      data.reason ?? null,
      data.dead ?? false,
      data.nextAttemptAt ?? null,
      actor.id,
      at,
    ],
  );
}

/** The delivery's row as the decider's state has it; any lease ends with the event that recorded the attempt. */
async function project(manager: EntityManager, state: WebhookDeliveryState, version: number, at: string): Promise<void> {
  await manager.query(
    `UPDATE webhook_deliveries SET status = $2, attempts = $3, next_attempt_at = $4, last_status_code = $5, last_error = $6, queued_at = $7,
            delivered_at = $8, stream_version = $9, lease_token = NULL, lease_until = NULL, updated_at = $10
      WHERE delivery_id = $1`,
    [
      state.deliveryId,
      state.status,
      state.attempts,
      state.nextAttemptAt,
      state.lastStatusCode,
      state.lastError,
      state.queuedAt,
      state.deliveredAt,
      version,
      at,
    ],
  );
}
