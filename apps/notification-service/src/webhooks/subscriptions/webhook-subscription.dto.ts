import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { WEBHOOK_SECRET_PATTERN } from '@conduct/notifications-contracts';
import { WEBHOOK_EVENT_TYPES } from '../fanout/webhook-event-types';

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
    description:
      'The signing secret as Standard Webhooks writes it: whsec_ and the base64 of at least 24 random bytes. Omit it to have one generated: it is returned once, in this response only.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  @IsOptional()
  @IsString()
  @Matches(WEBHOOK_SECRET_PATTERN, { message: 'secret must be whsec_ followed by the base64 of at least 24 random bytes (Standard Webhooks)' })
  @MaxLength(256)
  secret?: string;

  @ApiPropertyOptional({ example: 'Provincial IA dashboard' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

/** Body of `PUT /webhooks/subscriptions/:id/personal-data`: why this integration needs names and addresses. */
export class PersonalDataGrantDto {
  @ApiProperty({ example: 'The IA case-management system of Sindh Police files letters to officers by name', minLength: 10, maxLength: 500 })
  @IsString()
  @MinLength(10, { message: 'reason must say why, in at least 10 characters' })
  @MaxLength(500)
  reason!: string;
}
