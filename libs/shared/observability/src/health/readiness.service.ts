import { BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { BaseServiceConfig } from '@conduct/config';
import { sharedCounter, sharedGauge } from '@conduct/messaging';

/** One dependency of the service; `check` rejects when it is unavailable. */
export interface ReadinessIndicator {
  name: string;
  check(): Promise<void>;
  /**
   * Whether the service can take commands without it (default false). Such a check is reported
   * in the body, not in the status: Kafka, for one, since commands need only PostgreSQL (the
   * events table is the outbox) and a load balancer must not take a service out while Kafka is away.
   */
  informational?: boolean;
}

export const READINESS_INDICATORS = Symbol('READINESS_INDICATORS');
const CHECK_TIMEOUT_MS = 3000;
/**
 * An informational check does not decide the answer, so the answer does not wait on it for long:
 * with Kafka away a connect retries for seconds, and probes (often given 1 s) timed out on a
 * service that was taking commands.
 */
const INFORMATIONAL_TIMEOUT_MS = 500;

export type CheckStatus = 'up' | 'down';

const readinessMetrics = () => ({
  ready: sharedGauge('conduct_ready', 'The last readiness answer: 1 ready, 0 not (draining, or the database down)', []),
  changes: sharedCounter(
    'conduct_readiness_changes_total',
    'Times the readiness answer changed: a service that flaps takes turns in and out of its load balancer',
    [],
  ),
});

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckStatus>;
  /** True from the moment the process starts shutting down: it finishes what it has and takes nothing new. */
  draining: boolean;
}

class ReadinessTimeoutError extends Error {
  constructor(name: string, timeoutMs: number) {
    super(`${name} did not answer within ${timeoutMs} ms`);
    this.name = 'ReadinessTimeoutError';
  }
}

/**
 * Readiness means "can take commands": the database answers and the process is not draining.
 * It also knows the indicators given to ServiceRuntimeModule.forRoot and any a library registers
 * at startup (messaging registers Kafka and its consumers, as informational checks).
 */
@Injectable()
export class ReadinessService implements BeforeApplicationShutdown {
  private readonly indicators: ReadinessIndicator[];
  private draining = false;
  private readonly metrics = readinessMetrics();
  private lastAnswer: boolean | undefined;

  constructor(
    @Inject(READINESS_INDICATORS) indicators: ReadinessIndicator[],
    @InjectPinoLogger(ReadinessService.name) private readonly logger: PinoLogger,
    @Optional() dataSource?: DataSource,
    @Optional() private readonly config?: BaseServiceConfig,
  ) {
    this.indicators = dataSource ? [databaseIndicator(dataSource), ...indicators] : [...indicators];
  }

  register(indicator: ReadinessIndicator): void {
    this.indicators.push(indicator);
  }

  /**
   * Shutdown has begun: readiness answers 503 from now on, and the HTTP server goes on serving for
   * SHUTDOWN_DRAIN_MS, so load balancers stop sending work before it stops taking any.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    const drainMs = this.config?.SHUTDOWN_DRAIN_MS ?? 0;
    if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
  }

  async check(): Promise<ReadinessReport> {
    const results = await Promise.all(this.indicators.map(async (indicator) => [indicator, await this.run(indicator)] as const));
    const dependenciesUp = results.every(([indicator, status]) => indicator.informational === true || status === 'up');
    const ready = dependenciesUp && !this.draining;
    this.metrics.ready.set(ready ? 1 : 0);
    if (this.lastAnswer !== undefined && this.lastAnswer !== ready) this.metrics.changes.inc();
    this.lastAnswer = ready;
    return {
      ready,
      checks: Object.fromEntries(results.map(([indicator, status]) => [indicator.name, status])),
      draining: this.draining,
    };
  }

  private async run(indicator: ReadinessIndicator): Promise<CheckStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = indicator.informational ? INFORMATIONAL_TIMEOUT_MS : CHECK_TIMEOUT_MS;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ReadinessTimeoutError(indicator.name, timeoutMs)), timeoutMs);
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
