import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { sharedCounter, sharedGauge } from '@conduct/messaging';

const runMetrics = () => ({
  lastSuccess: sharedGauge(
    'conduct_periodic_run_last_success_timestamp_seconds',
    'When a periodic task (watcher, dispatcher) last finished a run without failing (Unix time; the start of the process until its first run)',
    ['task'],
  ),
  interval: sharedGauge('conduct_periodic_run_interval_seconds', 'The configured time between runs of a periodic task', ['task']),
  failures: sharedCounter('conduct_periodic_run_failures_total', 'Runs of a periodic task that failed (the next tick tries again)', ['task']),
});

/**
 * Work a service does on a timer — due approvals, missed deadlines, notices and webhook deliveries
 * to send. Every `intervalMs` it calls `run()`; runs never overlap (a slow run makes the next tick
 * join it), a failed run is logged and the next tick tries again, and shutdown waits for the run
 * in flight. Tests call `runOnce()` with the interval set to 0.
 *
 * Each run is measured under its `task` name (`conduct_periodic_run_*`): an alert compares the
 * last successful run with the interval, so a watcher that stopped (its timer, its database, a
 * run that never ends) is seen while nothing else looks wrong.
 */
export abstract class PeriodicRun implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  /** A nudge came during a run: run once more after it (the run may have looked before the work was there). */
  private again = false;
  private stopped = false;
  private readonly metrics = runMetrics();

  protected constructor(
    protected readonly logger: PinoLogger,
    /** Milliseconds between runs; 0 turns the timer off. */
    private readonly intervalMs: number,
    /** The `task` label of its metrics, e.g. `takedown_deadline_watcher`: stable, dashboards and alerts name it. */
    private readonly task: string,
  ) {}

  /** One run: does what is due now and returns how much it did. */
  protected abstract run(): Promise<number>;

  onApplicationBootstrap(): void {
    if (this.intervalMs > 0) {
      this.metrics.interval.set({ task: this.task }, this.intervalMs / 1000);
      this.metrics.lastSuccess.set({ task: this.task }, Date.now() / 1000);
      this.timer = setInterval(() => this.runInBackground(), this.intervalMs);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Runs now, or joins the run in progress. */
  runOnce(): Promise<number> {
    this.running ??= this.measured().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.nudge();
      }
    });
    return this.running;
  }

  /**
   * New work is there (committed): run now instead of at the next tick, or once more right after
   * the run in progress. Nothing with the timer off (tests drive the runs) or once shutting down.
   */
  nudge(): void {
    if (this.intervalMs <= 0 || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.runInBackground();
  }

  private runInBackground(): void {
    void this.runOnce().catch((error: unknown) => this.logger.error({ err: error, task: this.task }, 'periodic run failed'));
  }

  private async measured(): Promise<number> {
    try {
      const done = await this.run();
      this.metrics.lastSuccess.set({ task: this.task }, Date.now() / 1000);
      return done;
    } catch (error) {
      this.metrics.failures.inc({ task: this.task });
      throw error;
    }
  }
}
