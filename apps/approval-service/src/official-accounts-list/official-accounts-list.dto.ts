import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const OFFICIAL_ACCOUNT_STATUSES = ['active', 'suspended'] as const;

/** Filters of `GET /official-accounts`; the caller's scope always applies on top. */
export class OfficialAccountsListQueryDto {
  @ApiPropertyOptional({ example: 'sindh' }) @IsOptional() @IsString() @MaxLength(64) province?: string;
  @ApiPropertyOptional({ example: 'karachi' }) @IsOptional() @IsString() @MaxLength(64) range?: string;
  @ApiPropertyOptional({ example: 'karachi-south' }) @IsOptional() @IsString() @MaxLength(64) district?: string;
  @ApiPropertyOptional({ example: 'ssp-office-south' }) @IsOptional() @IsString() @MaxLength(64) unitId?: string;
  @ApiPropertyOptional({ example: 'facebook' }) @IsOptional() @IsString() @MaxLength(32) platform?: string;
  @ApiPropertyOptional({ enum: OFFICIAL_ACCOUNT_STATUSES }) @IsOptional() @IsIn(OFFICIAL_ACCOUNT_STATUSES) status?: string;
  @ApiPropertyOptional({ default: 1, minimum: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) page = 1;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize = 50;
}
