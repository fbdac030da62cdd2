import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { BaseServiceConfig } from '@conduct/service-runtime';

export class ViolationServiceConfig extends BaseServiceConfig {
  /** How often pending takedown notices past their due date are recorded as missed; 0 turns the watcher off. */
  @Type(() => Number)
  @IsInt({ message: 'TAKEDOWN_WATCH_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(0)
  @Max(86_400_000)
  TAKEDOWN_WATCH_INTERVAL_MS = 30_000;

  /** The hierarchy the service's copy of the registry starts from, before approval-service's events arrive (docs/jurisdiction.md). */
  @IsOptional()
  @IsString()
  UNITS_SEED_FILE?: string;
}
