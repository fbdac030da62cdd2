import { IsBoolean, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import type {
  WebhookDeliveredData,
  WebhookDeliveryFailedData,
  WebhookDeliveryQueuedData,
  WebhookRedeliveryRequestedData,
} from '@conduct/notifications-domain';

/** `WebhookDeliveryQueued` v1: event `eventId` will be POSTed to subscription `subscriptionId`.
 * Key = deliveryId, derived from (subscriptionId, eventId): one delivery per event and subscriber. */
export class WebhookDeliveryQueuedV1 implements WebhookDeliveryQueuedData {
  @JSONSchema({ description: 'Sent as the webhook-id header; receivers dedupe on it.' })
  @IsString()
  @IsNotEmpty()
  deliveryId!: string;
  @IsString() @IsNotEmpty() subscriptionId!: string;
  @JSONSchema({ description: 'The event being delivered.' })
  @IsString()
  @IsNotEmpty()
  eventId!: string;
  @IsString() @IsNotEmpty() eventType!: string;
  @IsOptional() @IsString() caseId?: string;
  @IsOptional() @IsString() approvalId?: string;
  @IsISO8601() queuedAt!: string;
}

/** `WebhookDelivered` v1: the receiver answered 2xx. */
export class WebhookDeliveredV1 implements WebhookDeliveredData {
  @IsString() @IsNotEmpty() deliveryId!: string;
  @IsString() @IsNotEmpty() subscriptionId!: string;
  @IsString() @IsNotEmpty() eventId!: string;
  @IsOptional() @IsString() caseId?: string;
  @IsInt() @Min(1) attempt!: number;
  @IsInt() @Min(200) @Max(299) statusCode!: number;
  @IsISO8601() deliveredAt!: string;
}

/** `WebhookDeliveryFailed` v1: one attempt failed; `dead` when attempts are exhausted (until redelivered). */
export class WebhookDeliveryFailedV1 implements WebhookDeliveryFailedData {
  @IsString() @IsNotEmpty() deliveryId!: string;
  @IsString() @IsNotEmpty() subscriptionId!: string;
  @IsString() @IsNotEmpty() eventId!: string;
  @IsOptional() @IsString() caseId?: string;
  @IsInt() @Min(1) attempt!: number;
  @JSONSchema({ description: 'e.g. `HTTP 503 Service Unavailable`, `timeout after 5000 ms`, `ECONNREFUSED`.' })
  @IsString()
  @IsNotEmpty()
  reason!: string;
  @JSONSchema({ description: "The receiver's answer, when there was one." })
  @IsOptional()
  @IsInt()
  statusCode?: number;
  @IsBoolean() dead!: boolean;
  @IsOptional() @IsISO8601() nextAttemptAt?: string;
  @IsISO8601() failedAt!: string;
}

/** `WebhookRedeliveryRequested` v1: someone asked for a (dead or delivered) delivery to be sent again. */
export class WebhookRedeliveryRequestedV1 implements WebhookRedeliveryRequestedData {
  @IsString() @IsNotEmpty() deliveryId!: string;
  @IsString() @IsNotEmpty() subscriptionId!: string;
  @IsOptional() @IsString() caseId?: string;
  @IsString() @IsNotEmpty() requestedBy!: string;
  @IsISO8601() requestedAt!: string;
}
