// class-transformer's @Type needs the metadata polyfill before any contract class loads.
import 'reflect-metadata';
import { WEBHOOK_DELIVERY_STREAM_TYPE } from '@conduct/notifications-domain';
import { NotificationCancelledV1, NotificationFailedV1, NotificationQueuedV1, NotificationSentV1 } from './notification.v1';
import { WebhookDeliveredV1, WebhookDeliveryFailedV1, WebhookDeliveryQueuedV1, WebhookRedeliveryRequestedV1 } from './webhook-delivery.v1';

export * from './notification.v1';
export * from './webhook-delivery.v1';
export * from './webhook-signature';

/** Stream types of notification-service's streams (the envelope's `streamType`). */
export const NotificationStreamTypes = { notification: 'notification', webhookDelivery: WEBHOOK_DELIVERY_STREAM_TYPE } as const;

/** The events notification-service publishes on conduct.notifications.v1, with their current
 * schema version and the class that validates their `data`. Every event about a case carries its
 * `caseId` (and the case's jurisdiction in the envelope) so reporting can put it on the timeline. */
export const notificationContracts = {
  NotificationQueued: { schemaVersion: 1, data: NotificationQueuedV1 },
  NotificationSent: { schemaVersion: 1, data: NotificationSentV1 },
  NotificationFailed: { schemaVersion: 1, data: NotificationFailedV1 },
  NotificationCancelled: { schemaVersion: 1, data: NotificationCancelledV1 },
  WebhookDeliveryQueued: { schemaVersion: 1, data: WebhookDeliveryQueuedV1 },
  WebhookDelivered: { schemaVersion: 1, data: WebhookDeliveredV1 },
  WebhookDeliveryFailed: { schemaVersion: 1, data: WebhookDeliveryFailedV1 },
  WebhookRedeliveryRequested: { schemaVersion: 1, data: WebhookRedeliveryRequestedV1 },
} as const;

export type NotificationContractType = keyof typeof notificationContracts;
