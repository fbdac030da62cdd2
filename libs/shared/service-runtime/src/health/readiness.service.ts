import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';

/** One dependency the service cannot serve without; `check` rejects when it is unavailable. */
export interface ReadinessIndicator {
  name: string;
  check(): Promise<void>;
}

export const READINESS_INDICATORS = Symbol('READINESS_INDICATORS');
const CHECK_TIMEOUT_MS = 3000;

export type CheckStatus = 'up' | 'down';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckStatus>;
}

class ReadinessTimeoutError extends Error {
  constructor(name: string) {
    super(`${name} did not answer within ${CHECK_TIMEOUT_MS} ms`);
    this.name = 'ReadinessTimeoutError';
  }
}

/**
 * Knows what the service depends on: the database (when the app has a TypeORM DataSource), the
 * indicators given to ServiceRuntimeModule.forRoot, and any a library registers at startup
 * (e.g. messaging registers its Kafka check).
 */
@Injectable()
export class ReadinessService {
  private readonly indicators: ReadinessIndicator[];

  constructor(
    @Inject(READINESS_INDICATORS) indicators: ReadinessIndicator[],
    @InjectPinoLogger(ReadinessService.name) private readonly logger: PinoLogger,
    @Optional() dataSource?: DataSource,
  ) {
    this.indicators = dataSource ? [databaseIndicator(dataSource), ...indicators] : [...indicators];
  }

  register(indicator: ReadinessIndicator): void {
    this.indicators.push(indicator);
  }

  async check(): Promise<ReadinessReport> {
    const results = await Promise.all(this.indicators.map(async (indicator) => [indicator.name, await this.run(indicator)] as const));
    return { ready: results.every(([, status]) => status === 'up'), checks: Object.fromEntries(results) };
  }

  private async run(indicator: ReadinessIndicator): Promise<CheckStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ReadinessTimeoutError(indicator.name)), CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([indicator.check(), timeout]);
      return 'up';
    } catch (error) {
      // The reason goes to the log, not to the public probe response.
      this.logger.warn({ err: error, check: indicator.name }, 'Readiness check failed');
      return 'down';
    } finally {
      clearTimeout(timer);
    }
  }
}

function databaseIndicator(dataSource: DataSource): ReadinessIndicator {
  return {
    name: 'database',
    async check() {
      await dataSource.query('SELECT 1');
    },
  };
}
