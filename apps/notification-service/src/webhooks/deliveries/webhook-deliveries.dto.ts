import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '@conduct/queries';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;

/** Filters of `GET /webhooks/deliveries`; an integration only ever sees its own subscriptions' deliveries. */
export class WebhookDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') subscriptionId?: string;
  @ApiPropertyOptional({ description: 'Deliveries of events about this case' }) @IsOptional() @IsString() @MaxLength(100) caseId?: string;
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES }) @IsOptional() @IsIn(DELIVERY_STATUSES) status?: string;
  @ApiPropertyOptional({ example: 'ViolationReported' }) @IsOptional() @IsString() @MaxLength(100) eventType?: string;
}
