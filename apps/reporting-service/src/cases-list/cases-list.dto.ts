import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '@conduct/queries';

export const CASE_STATUSES = ['open', 'closed'] as const;
export const CASE_STAGES = ['investigating', 'found', 'sanctioned', 'under-appeal', 'set-aside'] as const;

/** Filters of reporting's `GET /cases`; the caller's scope applies first. */
export class CasesListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'sindh' }) @IsOptional() @IsString() @MaxLength(64) province?: string;
  @ApiPropertyOptional({ example: 'karachi' }) @IsOptional() @IsString() @MaxLength(64) range?: string;
  @ApiPropertyOptional({ example: 'karachi-south' }) @IsOptional() @IsString() @MaxLength(64) district?: string;
  @ApiPropertyOptional({ example: 'ps-clifton' }) @IsOptional() @IsString() @MaxLength(64) unitId?: string;
  @ApiPropertyOptional({ enum: CASE_STATUSES }) @IsOptional() @IsIn(CASE_STATUSES) status?: string;
  @ApiPropertyOptional({ enum: CASE_STAGES }) @IsOptional() @IsIn(CASE_STAGES) stage?: string;
  @ApiPropertyOptional({ example: 'SND-1', description: 'Cases alleging this clause' }) @IsOptional() @IsString() @MaxLength(32) clause?: string;
  @ApiPropertyOptional({ example: 'KHI-40172', description: 'The service number of the officer concerned' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  officer?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: the latest takedown notice is past due and the content still up' })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
  @ApiPropertyOptional({ description: 'Reported at or after (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Reported before (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({
    description:
      'Keyset paging: the `nextCursor` of the previous answer. The page after it, as fast at any depth; the answer has no `page` or `total`. Not with `page`.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  after?: string;
}
