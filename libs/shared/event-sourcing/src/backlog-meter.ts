import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { BaseServiceConfig } from '@conduct/config';
import { sharedGauge } from '@conduct/messaging';
import { CLOCK, Clock } from './clock';

/** Work a service owes and has not done yet, as one query: what a watcher or dispatcher should empty. */
export interface Backlog {
  /** The `backlog` label, e.g. `takedown_deadlines`: stable, dashboards and alerts name it. */
  name: string;
  /**
   * One row: `items`, how many are due at `$1` (the service clock's now) and not done, and
   * `oldest`, since when the oldest of them has been due (null when there are none).
   */
  sql: string;
}

const backlogMetrics = () => ({
  items: sharedGauge('conduct_backlog_items', 'Work items due and not done yet (notices, webhook deliveries, deadlines to record)', ['backlog']),
  oldestAge: sharedGauge('conduct_backlog_oldest_age_seconds', 'How long the oldest item of a backlog has been due (0 when it is empty)', [
    'backlog',
  ]),
  measuredAt: sharedGauge(
    'conduct_backlog_measured_timestamp_seconds',
    'When a backlog was last measured (Unix time): old while the database cannot be asked',
    ['backlog'],
  ),
});

export const BACKLOGS = Symbol('BACKLOGS');

/**
 * Measures the service's backlogs on a timer of its own (BACKLOG_MEASURE_INTERVAL_MS), apart from
 * the watchers and dispatchers that empty them: a dispatcher that is stuck cannot report that
 * its queue grows, this can. A round that fails (the database away) leaves the last values and
 * their timestamp, which then grows old.
 */
@Injectable()
export class BacklogMeter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly metrics = backlogMetrics();
  private timer: NodeJS.Timeout | undefined;
  private measuring: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BACKLOGS) private readonly backlogs: Backlog[],
    private readonly config: BaseServiceConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(BacklogMeter.name);
  }

  onApplicationBootstrap(): void {
    const intervalMs = this.config.BACKLOG_MEASURE_INTERVAL_MS;
    if (intervalMs <= 0 || this.backlogs.length === 0) return;
    this.timer = setInterval(() => void this.measure(), intervalMs).unref();
    void this.measure();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.measuring;
  }

  /** One round over every backlog (a round already running is joined, not doubled). */
  measure(): Promise<void> {
    this.measuring ??= this.measureAll().finally(() => (this.measuring = undefined));
    return this.measuring;
  }

  private async measureAll(): Promise<void> {
    const now = this.clock.now();
    try {
      for (const backlog of this.backlogs) {
        const [row] = await this.dataSource.query<{ items: string | number; oldest: Date | null }[]>(backlog.sql, [now]);
        const oldest = row?.oldest ? new Date(row.oldest).getTime() : undefined;
        this.metrics.items.set({ backlog: backlog.name }, Number(row?.items ?? 0));
        this.metrics.oldestAge.set({ backlog: backlog.name }, oldest === undefined ? 0 : Math.max(0, (now.getTime() - oldest) / 1000));
        this.metrics.measuredAt.set({ backlog: backlog.name }, Date.now() / 1000);
      }
      if (this.failing) this.logger.info('backlogs measured again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn({ err: error }, 'cannot measure the backlogs; trying again at the next interval');
      this.failing = true;
    }
  }
}
