import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class IssueTakedownNoticeDto {
  @ApiPropertyOptional({
    example: '2026-03-04T09:00:00Z',
    description: 'When the notice was served (default: now); due after the pack’s takedown period (SND-6)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  servedAt?: string;
}

export class ConfirmContentRemovalDto {
  @ApiPropertyOptional({ example: '2026-03-06T09:00:00Z', description: 'When the removal was verified (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  verifiedAt?: string;
}
