import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, MaxLength, MinLength } from 'class-validator';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types';

export const MIN_SECRET_LENGTH = 32;

/** Body of `POST /webhooks/subscriptions`. */
export class CreateWebhookSubscriptionDto {
  @ApiProperty({ example: 'https://integrations.example.org/conduct/webhook', description: 'Where each event is POSTed: an http or https URL.' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'targetUrl must be an http or https URL' })
  @MaxLength(2000)
  targetUrl!: string;

  @ApiProperty({
    example: ['ViolationReported', 'CaseClosed'],
    description: 'Event types to receive (approvals, cases and notification events; Webhook* events cannot be subscribed to).',
    enum: WEBHOOK_EVENT_TYPES,
    isArray: true,
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: 'each value in eventTypes must be a subscribable event type (see docs/webhooks.md)' })
  eventTypes!: string[];

  @ApiPropertyOptional({
    description: `The signing secret, at least ${MIN_SECRET_LENGTH} characters. Omit it to have one generated: it is returned once, in this response only.`,
  })
  @IsOptional()
  @IsString()
  @MinLength(MIN_SECRET_LENGTH)
  @MaxLength(256)
  secret?: string;

  @ApiPropertyOptional({ example: 'Provincial IA dashboard' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}
