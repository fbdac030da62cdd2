import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '@conduct/queries';

export const APPROVAL_STATUSES = ['pending', 'granted', 'rejected', 'withdrawn', 'revoked', 'expired', 'published'] as const;

/**
 * Filters of `GET /approvals`. The approver's inbox is `?status=pending`; an officer's own
 * requests are `?requester=me`. The caller's scope always applies (own requests are always visible).
 */
export class ApprovalsListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: APPROVAL_STATUSES }) @IsOptional() @IsIn(APPROVAL_STATUSES) status?: string;
  @ApiPropertyOptional({ description: '`me` for your own requests, or a requester id' }) @IsOptional() @IsString() @MaxLength(128) requester?: string;
  @ApiPropertyOptional({ example: 'karachi-south' }) @IsOptional() @IsString() @MaxLength(64) district?: string;
  @ApiPropertyOptional({ example: 'ps-clifton' }) @IsOptional() @IsString() @MaxLength(64) unitId?: string;
}
