import { DomainError, fold } from '@conduct/decider';
import {
  DeliveryPolicy,
  decideWebhookDelivery,
  webhookDeliveryDecider,
  WebhookDeliveryCommand,
  WebhookDeliveryState,
} from './webhook-delivery.decider';
import { WebhookDeliveryEvent } from './webhook-delivery.events';

const policy: DeliveryPolicy = { maxAttempts: 3, retryBaseMs: 2_000, retryMaxMs: 60_000 };
const queue: WebhookDeliveryCommand = {
  type: 'QueueDelivery',
  deliveryId: 'd-1',
  subscriptionId: 's-1',
  eventId: 'e-1',
  eventType: 'ViolationReported',
  caseId: 'c-1',
  at: '2026-03-01T10:00:00.000Z',
};
const attempt = (
  outcome: Extract<WebhookDeliveryCommand, { type: 'RecordAttempt' }>['outcome'],
  at: string,
  jitter = 0.5,
): WebhookDeliveryCommand => ({
  type: 'RecordAttempt',
  outcome,
  at,
  policy,
  jitter,
});
const failed503 = { delivered: false as const, statusCode: 503, reason: 'HTTP 503 Service Unavailable' };

/** Decides each command on the state the earlier ones left, as the stream would hold them. */
function run(...commands: WebhookDeliveryCommand[]): { events: WebhookDeliveryEvent[]; state: WebhookDeliveryState } {
  let state = webhookDeliveryDecider.initialState;
  const events: WebhookDeliveryEvent[] = [];
  for (const command of commands) {
    const decided = decideWebhookDelivery(command, state);
    events.push(...decided);
    state = fold(webhookDeliveryDecider, decided, state);
  }
  return { events, state };
}

const refusal = (commands: WebhookDeliveryCommand[], last: WebhookDeliveryCommand): DomainError => {
  const { state } = run(...commands);
  try {
    decideWebhookDelivery(last, state);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
};

describe('a webhook delivery', () => {
  it('is queued once, due at once; queuing it again (a replayed event) decides nothing', () => {
    const { events, state } = run(queue, { ...queue, at: '2026-03-01T11:00:00.000Z' });
    expect(events).toEqual([
      {
        type: 'WebhookDeliveryQueued',
        data: { deliveryId: 'd-1', subscriptionId: 's-1', eventId: 'e-1', eventType: 'ViolationReported', caseId: 'c-1', queuedAt: queue.at },
      },
    ]);
    expect(state).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: queue.at, queuedAt: queue.at });
  });

  it('is delivered by a 2xx, counting the attempt', () => {
    const { events, state } = run(
      queue,
      attempt(failed503, '2026-03-01T10:00:01.000Z'),
      attempt({ delivered: true, statusCode: 204 }, '2026-03-01T10:00:05.000Z'),
    );
    expect(events.at(-1)).toEqual({
      type: 'WebhookDelivered',
      data: {
        deliveryId: 'd-1',
        subscriptionId: 's-1',
        eventId: 'e-1',
        caseId: 'c-1',
        attempt: 2,
        statusCode: 204,
        deliveredAt: '2026-03-01T10:00:05.000Z',
      },
    });
    expect(state).toMatchObject({ status: 'delivered', attempts: 2, nextAttemptAt: null, lastStatusCode: 204, lastError: null });
  });

  it('is retried after a failure, within its backoff as the jitter places it', () => {
    const { events, state } = run(queue, attempt(failed503, '2026-03-01T10:00:00.000Z', 0.5), attempt(failed503, '2026-03-01T10:01:00.000Z', 0.25));
    // Attempt 1: half of 2 s; attempt 2: a quarter of 4 s.
    expect(events.slice(1).map((event) => (event.data as { nextAttemptAt?: string }).nextAttemptAt)).toEqual([
      '2026-03-01T10:00:01.000Z',
      '2026-03-01T10:01:01.000Z',
    ]);
    expect(state).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 503, lastError: 'HTTP 503 Service Unavailable' });
  });

  it('is dead once its attempts are exhausted, with no next attempt', () => {
    const { events, state } = run(queue, ...[1, 2, 3].map((n) => attempt(failed503, `2026-03-01T10:0${n}:00.000Z`)));
    expect(events.at(-1)).toMatchObject({ type: 'WebhookDeliveryFailed', data: { attempt: 3, dead: true } });
    expect(events.at(-1)!.data).not.toHaveProperty('nextAttemptAt');
    expect(state).toMatchObject({ status: 'dead', nextAttemptAt: null });
  });

  it('is dead at once when the receiver answers 410 Gone', () => {
    const { state } = run(queue, attempt({ delivered: false, statusCode: 410, reason: 'HTTP 410 Gone' }, '2026-03-01T10:00:00.000Z'));
    expect(state).toMatchObject({ status: 'dead', attempts: 1, lastStatusCode: 410 });
  });

  it('records a failure without an answer (timeout) and bounds a long reason', () => {
    const { events } = run(queue, attempt({ delivered: false, reason: 'x'.repeat(2_000) }, '2026-03-01T10:00:00.000Z'));
    const data = events.at(-1)!.data as { reason: string; statusCode?: number };
    expect(data.reason).toHaveLength(500);
    expect(data).not.toHaveProperty('statusCode');
  });

  it('is sent again on request when delivered or dead: due at once, with a fresh count', () => {
    const dead = [queue, ...[1, 2, 3].map((n) => attempt(failed503, `2026-03-01T10:0${n}:00.000Z`))];
    const request: WebhookDeliveryCommand = { type: 'RequestRedelivery', requestedBy: 'integration-1', at: '2026-03-02T09:00:00.000Z' };
    const { events, state } = run(...dead, request);
    expect(events.at(-1)).toEqual({
      type: 'WebhookRedeliveryRequested',
      data: { deliveryId: 'd-1', subscriptionId: 's-1', caseId: 'c-1', requestedBy: 'integration-1', requestedAt: request.at },
    });
    expect(state).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: request.at, lastStatusCode: 503 });
    expect(run(queue, attempt({ delivered: true, statusCode: 200 }, '2026-03-01T10:00:00.000Z'), request).state.status).toBe('pending');
  });

  it('refuses a redelivery while it is pending, an attempt on one not pending, and both before it is queued', () => {
    const request: WebhookDeliveryCommand = { type: 'RequestRedelivery', requestedBy: 'integration-1', at: '2026-03-02T09:00:00.000Z' };
    expect(refusal([queue], request)).toMatchObject({ kind: 'conflict', code: 'webhook.delivery-pending' });
    const delivered = [queue, attempt({ delivered: true, statusCode: 200 }, '2026-03-01T10:00:00.000Z')];
    expect(refusal(delivered, attempt(failed503, '2026-03-01T10:00:01.000Z'))).toMatchObject({
      kind: 'conflict',
      code: 'webhook.delivery-not-pending',
    });
    expect(refusal([], request)).toMatchObject({ kind: 'not-found', code: 'webhook.delivery-not-found' });
    expect(refusal([], attempt(failed503, '2026-03-01T10:00:00.000Z'))).toMatchObject({ kind: 'not-found' });
  });
});
