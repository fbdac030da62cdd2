import { EntityManager } from 'typeorm';
import { hiddenClasses, redact } from '@conduct/auth';
import { scopeCovers } from '@conduct/jurisdiction';
import { activeTraceparent, EventStore } from '@conduct/event-store';
import { EventEnvelope, handlerFor, isImported } from '@conduct/messaging';
import { CLOCK, Clock, ConsumerDefinition, ConsumerHandlers } from '@conduct/event-sourcing';
import { runDeliveryCommand, WEBHOOK_ACTOR } from '../deliveries/webhook-delivery-commands';
import { deliveryIdOf } from '../deliveries/webhook-delivery-policy';
import { WebhookDispatcher } from '../dispatch/webhook-dispatcher';
import { SUBSCRIBABLE_CONTRACTS, subscribableTypesOf } from './webhook-event-types';

/** What the fan-out needs from the app: its clock (tests move it), its event store, and whom to tell it queued a delivery. */
export interface FanOut {
  clock: Clock;
  store: EventStore;
  /** Called inside the transaction that queued a delivery: it may still roll back. */
  onQueued?: () => void;
}

interface MatchingSubscription {
  subscription_id: string;
  province: string | null;
  range: string | null;
  district: string | null;
  unit_id: string | null;
  personal_data: boolean;
}

const stringField = (data: object, field: string): string | undefined => {
  const value = (data as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The subscriptions of this type whose creator's scope covers the event (no jurisdiction: national
 * scopes only), and whether each holds an ADMIN's grant of personal data.
 */
async function subscriptionsFor(
  manager: EntityManager,
  envelope: EventEnvelope<object>,
): Promise<{ subscriptionId: string; personalData: boolean }[]> {
  // Only events recorded after the subscription was made: a new subscription (or a consumer group
  // reading a topic from the beginning) must not flood its receiver with history.
  const rows = await manager.query<MatchingSubscription[]>(
    `SELECT subscription_id, province, range, district, unit_id, personal_data_granted_at IS NOT NULL AS personal_data FROM webhook_subscriptions
      WHERE active AND $1 = ANY (event_types) AND created_at <= $2 ORDER BY subscription_id`,
    [envelope.type, envelope.recordedAt],
  );
  return rows
    .filter((row) => {
      const scope = {
        ...(row.province ? { province: row.province } : {}),
        ...(row.range ? { range: row.range } : {}),
        ...(row.district ? { district: row.district } : {}),
        ...(row.unit_id ? { unit: row.unit_id } : {}),
      };
      return envelope.jurisdiction ? scopeCovers(scope, envelope.jurisdiction) : Object.keys(scope).length === 0;
    })
    .map((row) => ({ subscriptionId: row.subscription_id, personalData: row.personal_data }));
}

/**
 * The body integrations receive: the envelope as the redaction policy shows it to INTEGRATION (no
 * names, no addresses; `redacted` lists what was nulled), or whole for a subscription an ADMIN
 * granted personal data.
 */
function webhookBodies(envelope: EventEnvelope<object>): { personal: string; redacted: string } {
  const { value, redacted } = redact(envelope, hiddenClasses(['INTEGRATION']));
  const personal = JSON.stringify(envelope);
  return { personal, redacted: redacted.length ? JSON.stringify({ ...value, redacted }) : personal };
}

/**
 * Queues one delivery per matching subscription, inside the inbox transaction. The delivery id is
 * derived from (subscription, event), and the row insert is `ON CONFLICT DO NOTHING`: whatever gets
 * past the inbox (a replayed topic, a second consumer) still queues nothing twice, and the
 * delivery's stream is started only for the row this transaction created. (Relying on the append's
 * ConcurrencyError instead would not do: a failed statement aborts the whole inbox transaction.)
 */
async function fanOut({ clock, store, onQueued }: FanOut, envelope: EventEnvelope<object>, manager: EntityManager): Promise<void> {
  // Legacy cases brought in (npm run import:cases) are history, not news: no integration is sent them.
  if (isImported(envelope)) return;
  const now = clock.now().toISOString();
  const caseId = stringField(envelope.data, 'caseId');
  const approvalId = stringField(envelope.data, 'approvalId');
  const subscriptions = await subscriptionsFor(manager, envelope);
  // Most events match no subscription: build the bodies (a walk and two serialisations) only when one does.
  if (subscriptions.length === 0) return;
  const bodies = webhookBodies(envelope);
  for (const { subscriptionId, personalData } of subscriptions) {
    const body = personalData ? bodies.personal : bodies.redacted;
    const deliveryId = deliveryIdOf(subscriptionId, envelope.eventId);
    // The row is the delivery's claim: a second insert (a replay, another replica) finds it and queues nothing.
    // Its state columns are the projection's, written in the same transaction by QueueDelivery.
    const inserted = await manager.query<{ delivery_id: string }[]>(
      `INSERT INTO webhook_deliveries (delivery_id, subscription_id, event_id, event_type, case_id, approval_id, envelope, jurisdiction,
                                       correlation_id, status, stream_version, queued_at, updated_at, trace_context)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $10, $11)
       ON CONFLICT DO NOTHING RETURNING delivery_id`,
      [
        deliveryId,
        subscriptionId,
        envelope.eventId,
        envelope.type,
        caseId ?? null,
        approvalId ?? null,
        body,
        envelope.jurisdiction ?? null,
        envelope.correlationId,
        now,
        // Each POST, later, continues the trace of the apply that queued it.
        activeTraceparent(),
      ],
    );
    if (inserted.length === 0) continue;
    await runDeliveryCommand(
      store,
      manager,
      {
        type: 'QueueDelivery',
        deliveryId,
        subscriptionId,
        eventId: envelope.eventId,
        eventType: envelope.type,
        ...(caseId ? { caseId } : {}),
        ...(approvalId ? { approvalId } : {}),
        at: now,
      },
      {
        deliveryId,
        actor: WEBHOOK_ACTOR,
        correlationId: envelope.correlationId,
        causationId: envelope.eventId,
        jurisdiction: envelope.jurisdiction ?? null,
        occurredAt: now,
      },
    );
    onQueued?.();
  }
}

/** One handler per subscribable event type, each validating its contract before fanning out. */
export const webhookFanoutHandlers = (deps: FanOut): ConsumerHandlers =>
  Object.fromEntries(
    SUBSCRIBABLE_CONTRACTS.flatMap(({ contracts }) =>
      subscribableTypesOf(contracts).map((type) => [type, handlerFor(contracts, type, (envelope, manager) => fanOut(deps, envelope, manager))]),
    ),
  );

export const webhookConsumers: ConsumerDefinition[] = [
  {
    name: 'webhook-fanout',
    topics: SUBSCRIBABLE_CONTRACTS.map(({ topic }) => topic),
    handlers: (get) => {
      const dispatcher = get(WebhookDispatcher);
      return webhookFanoutHandlers({ clock: get<Clock>(CLOCK), store: get(EventStore), onQueued: () => dispatcher.deliveryQueued() });
    },
    // Deliveries just queued go out now, not at the dispatcher's next tick; most transactions queue none.
    onApplied: (get) => {
      const dispatcher = get(WebhookDispatcher);
      return () => dispatcher.sendQueued();
    },
  },
];
