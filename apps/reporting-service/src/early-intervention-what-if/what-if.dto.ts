import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class WhatIfThresholdDto {
  @ApiProperty({ example: 3, description: 'Substantiated findings that flag an officer...' })
  @IsInt()
  @Min(1)
  @Max(100)
  substantiatedFindings!: number;

  @ApiProperty({ example: 365, description: '...within this many days up to the as-of date' })
  @IsInt()
  @Min(1)
  @Max(3650)
  withinDays!: number;

  @ApiPropertyOptional({
    example: ['SND-1', 'SND-3'],
    description: 'Count only findings that hold one of these clauses proven (default: every clause)',
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^[A-Z]{2,5}-\d{1,3}$/, { each: true, message: 'each clause is a clause id, e.g. SND-1' })
  clauses?: string[];
}

/** `POST /early-intervention/what-if`: a threshold to try, and the date to try it at. */
export class EarlyInterventionWhatIfDto {
  @ApiProperty({ type: WhatIfThresholdDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => WhatIfThresholdDto)
  threshold!: WhatIfThresholdDto;

  @ApiPropertyOptional({ example: '2026-07-01T00:00:00Z', description: 'Replay the history of findings up to this moment (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}
