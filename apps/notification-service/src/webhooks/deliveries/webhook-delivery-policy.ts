import { idempotentStreamId } from '@conduct/event-store';

/**
 * The delivery of one event to one subscription: its id is derived from the two, so a redelivered
 * Kafka message, a second replica or a restart arrive at the same id (and the same stream) and
 * can never queue a second delivery. Receivers dedupe on it (webhook-id).
 */
export const deliveryIdOf = (subscriptionId: string, eventId: string): string => idempotentStreamId('webhook-delivery', subscriptionId, eventId);
