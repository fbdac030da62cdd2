import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export const REPORT_BASES = ['reported', 'observed', 'known'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Filters every headquarters report takes. The caller's scope applies first; these only narrow
 * it. The period is on each figure's own business date (reportedAt for cases opened, closedAt for
 * cases closed, servedAt for takedown notices, requestedAt for approvals, imposedAt for sanctions):
 * `from` inclusive, `to` exclusive. The cases and trend reports can count cases by another date
 * (`basis`).
 */
export class ReportQueryDto {
  @ApiPropertyOptional({ example: 'sindh' }) @IsOptional() @IsString() @MaxLength(64) province?: string;
  @ApiPropertyOptional({ example: 'karachi' }) @IsOptional() @IsString() @MaxLength(64) range?: string;
  @ApiPropertyOptional({ example: 'karachi-south' }) @IsOptional() @IsString() @MaxLength(64) district?: string;
  @ApiPropertyOptional({ example: 'ps-clifton' }) @IsOptional() @IsString() @MaxLength(64) unitId?: string;
  @ApiPropertyOptional({ example: '2026-01-01', description: 'Start of the period, inclusive (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ example: '2026-07-01', description: 'End of the period, exclusive (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
  @ApiPropertyOptional({
    enum: REPORT_BASES,
    description:
      'cases and trend reports: count cases by when they were recorded (reported, the default), when the conduct occurred (observed) or when it became known (known). Cases closed are counted by when they closed either way',
  })
  @IsOptional()
  @IsIn(REPORT_BASES)
  basis?: (typeof REPORT_BASES)[number];
  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'csv, or send `Accept: text/csv`; default json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
  @ApiPropertyOptional({
    example: 7,
    description:
      "Read this read-model generation instead of the active one: a snapshot rebuilt to a report's positions stamp (npm run rebuild:reports -- --until), or a retired one",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  generation?: number;
}

/** The filters as echoed in a report: only those given (where and when, not how or from which generation). */
export type ReportFilters = Omit<ReportQueryDto, 'format' | 'generation'>;
