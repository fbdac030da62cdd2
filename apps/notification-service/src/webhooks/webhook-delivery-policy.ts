import { idempotentStreamId } from '@conduct/event-store';

/**
 * The delivery of one event to one subscription: its id is derived from the two, so a redelivered
 * Kafka message, a second replica or a restart arrive at the same id (and the same stream) and
 * can never queue a second delivery. Receivers dedupe on it (webhook-id).
 */
export const deliveryIdOf = (subscriptionId: string, eventId: string): string => idempotentStreamId('webhook-delivery', subscriptionId, eventId);

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * The pause after failed attempt `attempt` (1-based): exponential backoff with full jitter,
 * uniform in [0, min(max, base · 2^(attempt-1))). Jitter spreads the retries of many deliveries
 * that failed together (a receiver that was down) instead of hitting it again all at once.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.floor(random() * ceiling);
}
