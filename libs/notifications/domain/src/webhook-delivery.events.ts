/*
 * The events of a webhook delivery's stream, as the domain sees them. The published contracts
 * (`@conduct/notifications-contracts`, webhook-delivery.v1.ts) implement these shapes.
 */

/** Which event goes to which subscription: what a delivery is queued with. */
export interface QueuedDelivery {
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  caseId?: string;
  approvalId?: string;
}

export interface WebhookDeliveryQueuedData extends QueuedDelivery {
  queuedAt: string;
}

export interface WebhookDeliveredData {
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  caseId?: string;
  attempt: number;
  statusCode: number;
  deliveredAt: string;
}

export interface WebhookDeliveryFailedData {
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  caseId?: string;
  attempt: number;
  reason: string;
  statusCode?: number;
  dead: boolean;
  nextAttemptAt?: string;
  failedAt: string;
}

export interface WebhookRedeliveryRequestedData {
  deliveryId: string;
  subscriptionId: string;
  caseId?: string;
  requestedBy: string;
  requestedAt: string;
}

export type WebhookDeliveryEvent =
  | { type: 'WebhookDeliveryQueued'; data: WebhookDeliveryQueuedData }
  | { type: 'WebhookDelivered'; data: WebhookDeliveredData }
  | { type: 'WebhookDeliveryFailed'; data: WebhookDeliveryFailedData }
  | { type: 'WebhookRedeliveryRequested'; data: WebhookRedeliveryRequestedData };
