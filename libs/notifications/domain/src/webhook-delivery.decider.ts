import { Decider, DomainError } from '@conduct/decider';
import { retryDelayMs } from './retry-policy';
import { QueuedDelivery, WebhookDeliveryEvent } from './webhook-delivery.events';

/** The stream type of a webhook delivery; its stream id is the delivery id. */
export const WEBHOOK_DELIVERY_STREAM_TYPE = 'webhook-delivery';

/** What a failure reason may hold: enough for the receiver's operator, bounded in the log. */
export const MAX_FAILURE_REASON_LENGTH = 500;

/** What the receiver made of one POST. */
export type AttemptOutcome = { delivered: true; statusCode: number } | { delivered: false; statusCode?: number; reason: string };

/** How many attempts a delivery gets before it is dead, and the backoff between them. */
export interface DeliveryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export type WebhookDeliveryCommand =
  | ({
      /** The fan-out matched an event to a subscription. Queuing an existing delivery decides nothing (a replay). */
      type: 'QueueDelivery';
      at: string;
    } & QueuedDelivery)
  | {
      /** The dispatcher POSTed a pending delivery; `jitter` in [0, 1) places the retry within its backoff. */
      type: 'RecordAttempt';
      outcome: AttemptOutcome;
      at: string;
      policy: DeliveryPolicy;
      jitter: number;
    }
  | {
      /** Someone asked for a delivered or dead delivery to be sent again. */
      type: 'RequestRedelivery';
      requestedBy: string;
      at: string;
    };

export interface WebhookDeliveryState extends QueuedDelivery {
  /** `none` before it is queued; `pending` while attempts go on; `dead` once they are exhausted (until redelivered). */
  status: 'none' | 'pending' | 'delivered' | 'dead';
  queuedAt: string | null;
  /** Attempts since it was queued or last redelivered. */
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

export const initialWebhookDeliveryState: WebhookDeliveryState = {
  status: 'none',
  deliveryId: '',
  subscriptionId: '',
  eventId: '',
  eventType: '',
  queuedAt: null,
  attempts: 0,
  nextAttemptAt: null,
  lastStatusCode: null,
  lastError: null,
  deliveredAt: null,
};

const notFound = () => new DomainError('not-found', 'webhook.delivery-not-found', 'There is no such webhook delivery');

export function decideWebhookDelivery(command: WebhookDeliveryCommand, state: WebhookDeliveryState): WebhookDeliveryEvent[] {
  switch (command.type) {
    case 'QueueDelivery': {
      if (state.status !== 'none') return [];
      const { type: _type, at, ...delivery } = command;
      return [{ type: 'WebhookDeliveryQueued', data: { ...delivery, queuedAt: at } }];
    }
    case 'RecordAttempt':
      return recordAttempt(command, state);
    case 'RequestRedelivery': {
      if (state.status === 'none') throw notFound();
      if (state.status === 'pending') {
        throw new DomainError(
          'conflict',
          'webhook.delivery-pending',
          `Delivery ${state.deliveryId} is still pending: it will be attempted again without being asked`,
        );
      }
      return [
        {
          type: 'WebhookRedeliveryRequested',
          data: {
            deliveryId: state.deliveryId,
            subscriptionId: state.subscriptionId,
            ...(state.caseId ? { caseId: state.caseId } : {}),
            requestedBy: command.requestedBy,
            requestedAt: command.at,
          },
        },
      ];
    }
  }
}

function recordAttempt(command: Extract<WebhookDeliveryCommand, { type: 'RecordAttempt' }>, state: WebhookDeliveryState): WebhookDeliveryEvent[] {
  if (state.status === 'none') throw notFound();
  if (state.status !== 'pending') {
    throw new DomainError('conflict', 'webhook.delivery-not-pending', `Delivery ${state.deliveryId} is ${state.status}: it is not being attempted`);
  }
  const { outcome, at, policy } = command;
  const attempt = state.attempts + 1;
  const common = {
    deliveryId: state.deliveryId,
    subscriptionId: state.subscriptionId,
    eventId: state.eventId,
    ...(state.caseId ? { caseId: state.caseId } : {}),
    attempt,
  };
  if (outcome.delivered) return [{ type: 'WebhookDelivered', data: { ...common, statusCode: outcome.statusCode, deliveredAt: at } }];
  // 410 Gone: the receiver retired the endpoint for good; no retry would reach it.
  const dead = outcome.statusCode === 410 || attempt >= policy.maxAttempts;
  const delay = retryDelayMs(attempt, { baseMs: policy.retryBaseMs, maxMs: policy.retryMaxMs }, () => command.jitter);
  return [
    {
      type: 'WebhookDeliveryFailed',
      data: {
        ...common,
        reason: outcome.reason.slice(0, MAX_FAILURE_REASON_LENGTH),
        ...(outcome.statusCode !== undefined ? { statusCode: outcome.statusCode } : {}),
        dead,
        ...(dead ? {} : { nextAttemptAt: new Date(Date.parse(at) + delay).toISOString() }),
        failedAt: at,
      },
    },
  ];
}

export function evolveWebhookDelivery(state: WebhookDeliveryState, event: WebhookDeliveryEvent): WebhookDeliveryState {
  switch (event.type) {
    case 'WebhookDeliveryQueued': {
      const { queuedAt, ...delivery } = event.data;
      return { ...initialWebhookDeliveryState, ...delivery, status: 'pending', queuedAt, nextAttemptAt: queuedAt };
    }
    case 'WebhookDelivered':
      return {
        ...state,
        status: 'delivered',
        attempts: event.data.attempt,
        nextAttemptAt: null,
        lastStatusCode: event.data.statusCode,
        lastError: null,
        deliveredAt: event.data.deliveredAt,
      };
    case 'WebhookDeliveryFailed':
      return {
        ...state,
        status: event.data.dead ? 'dead' : 'pending',
        attempts: event.data.attempt,
        nextAttemptAt: event.data.nextAttemptAt ?? null,
        lastStatusCode: event.data.statusCode ?? null,
        lastError: event.data.reason,
      };
    case 'WebhookRedeliveryRequested':
      // Due at once, with a fresh count of attempts; the last outcome stays visible until the next one.
      return { ...state, status: 'pending', attempts: 0, nextAttemptAt: event.data.requestedAt };
  }
}

/** One delivery of one event to one subscription (docs/adr/0007-notices-and-webhook-deliveries.md). */
export const webhookDeliveryDecider: Decider<WebhookDeliveryCommand, WebhookDeliveryState, WebhookDeliveryEvent> = {
  initialState: initialWebhookDeliveryState,
  decide: decideWebhookDelivery,
  evolve: evolveWebhookDelivery,
};
