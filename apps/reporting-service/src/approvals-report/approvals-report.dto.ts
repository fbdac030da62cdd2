import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '@conduct/queries';

export const APPROVAL_REPORT_STATUSES = ['pending', 'granted', 'rejected', 'withdrawn', 'revoked', 'expired', 'published'] as const;

/** Filters of `GET /reports/approvals`; the caller's scope always applies on top. */
export class ApprovalsReportQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'sindh' }) @IsOptional() @IsString() @MaxLength(64) province?: string;
  @ApiPropertyOptional({ example: 'karachi' }) @IsOptional() @IsString() @MaxLength(64) range?: string;
  @ApiPropertyOptional({ example: 'karachi-south' }) @IsOptional() @IsString() @MaxLength(64) district?: string;
  @ApiPropertyOptional({ example: 'ps-clifton' }) @IsOptional() @IsString() @MaxLength(64) unitId?: string;
  @ApiPropertyOptional({ enum: APPROVAL_REPORT_STATUSES }) @IsOptional() @IsIn(APPROVAL_REPORT_STATUSES) status?: string;
  @ApiPropertyOptional({ description: 'Requested at or after (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Requested before (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}
