import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '@conduct/queries';

export const CASE_STATUSES = ['open', 'closed'] as const;
export const CASE_STAGES = ['investigating', 'found', 'sanctioned', 'under-appeal', 'set-aside'] as const;

/**
 * Filters of `GET /cases`; the caller's scope always applies. Overdue takedowns are
 * `?overdue=true`; one officer's record is `?officer=<service number>`; one investigator's: `?investigator=<subject>`.
 */
export class CasesListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CASE_STATUSES }) @IsOptional() @IsIn(CASE_STATUSES) status?: string;
  @ApiPropertyOptional({ enum: CASE_STAGES }) @IsOptional() @IsIn(CASE_STAGES) stage?: string;
  @ApiPropertyOptional({ example: 'SND-1', description: 'Cases alleging this clause' }) @IsOptional() @IsString() @MaxLength(32) clause?: string;
  @ApiPropertyOptional({ example: 'karachi-south' }) @IsOptional() @IsString() @MaxLength(64) district?: string;
  @ApiPropertyOptional({ example: 'ps-clifton' }) @IsOptional() @IsString() @MaxLength(64) unitId?: string;
  @ApiPropertyOptional({ example: 'KHI-40172', description: 'The service number of the officer concerned' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  officer?: string;

  @ApiPropertyOptional({ example: 'ia-rashid', description: 'Cases assigned to this investigator (their token’s subject)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  investigator?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: the takedown deadline of the latest notice was missed and the content is not yet removed',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
}
