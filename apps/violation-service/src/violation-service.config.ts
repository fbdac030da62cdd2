import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { BaseServiceConfig, ConfigProblem } from '@conduct/config';

export class ViolationServiceConfig extends BaseServiceConfig {
  /**
   * How often deadlines that passed are recorded: takedown notices missed, show-cause replies lapsed.
   * 0 turns both watchers off.
   */
  @Type(() => Number)
  @IsInt({ message: 'TAKEDOWN_WATCH_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(0)
  @Max(86_400_000)
  TAKEDOWN_WATCH_INTERVAL_MS = 30_000;

  /**
   * Closed cases' retention period: an officer whose cases all closed longer ago than this has their
   * personal data erased by the retention run (docs/privacy.md), unless a legal hold stands.
   */
  @Type(() => Number)
  @IsInt({ message: 'RETENTION_CLOSED_CASE_YEARS must be a whole number of years' })
  @Min(1)
  @Max(100)
  RETENTION_CLOSED_CASE_YEARS = 10;

  /** How often the retention run looks for personal data past its period (the first run one interval after start); 0 turns it off. */
  @Type(() => Number)
  @IsInt({ message: 'RETENTION_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(0)
  @Max(604_800_000)
  RETENTION_INTERVAL_MS = 86_400_000;

  /** The hierarchy the service's copy of the registry starts from, before approval-service's events arrive (docs/jurisdiction.md). */
  @IsOptional()
  @IsString()
  UNITS_SEED_FILE?: string;

  /** Serves POST /bench/baseline, the plain-INSERT baseline of `npm run bench:http`. Refused in production. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'BENCH_BASELINE_ROUTE must be true or false' })
  BENCH_BASELINE_ROUTE?: 'true' | 'false';

  get benchBaselineRoute(): boolean {
    return this.BENCH_BASELINE_ROUTE === 'true';
  }

  override productionProblems(): ConfigProblem[] {
    const problems = super.productionProblems();
    if (this.production && this.benchBaselineRoute) {
      problems.push({ variable: 'BENCH_BASELINE_ROUTE', reason: 'BENCH_BASELINE_ROUTE is a benchmark route: not for production' });
    }
    return problems;
  }
}
