import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class GetCaseQueryDto {
  @ApiPropertyOptional({ example: '2026-03-20T09:00:00Z', description: 'Show the case as it was recorded at this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}
