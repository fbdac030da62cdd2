import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { BaseServiceConfig } from '@conduct/config';

export class ApprovalServiceConfig extends BaseServiceConfig {
  /** How often granted approvals past their window are expired; 0 turns the watcher off. */
  @Type(() => Number)
  @IsInt({ message: 'APPROVAL_EXPIRY_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(0)
  @Max(86_400_000)
  APPROVAL_EXPIRY_INTERVAL_MS = 30_000;

  /** Units registered on start if the hierarchy registry lacks them (JSON array; see docs/jurisdiction.md). */
  @IsOptional()
  @IsString()
  UNITS_SEED_FILE?: string;
}
