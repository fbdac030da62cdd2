import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

/**
 * Work a service does on a timer — due approvals, missed deadlines, notices and webhook deliveries
 * to send. Every `intervalMs` it calls `run()`; runs never overlap (a slow run makes the next tick
 * join it), a failed run is logged and the next tick tries again, and shutdown waits for the run
 * in flight. Tests call `runOnce()` with the interval set to 0.
 */
export abstract class PeriodicRun implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  /** A nudge came during a run: run once more after it (the run may have looked before the work was there). */
  private again = false;
  private stopped = false;

  protected constructor(
    protected readonly logger: PinoLogger,
    /** Milliseconds between runs; 0 turns the timer off. */
    private readonly intervalMs: number,
  ) {}

  /** One run: does what is due now and returns how much it did. */
  protected abstract run(): Promise<number>;

  onApplicationBootstrap(): void {
    if (this.intervalMs > 0) {
      this.timer = setInterval(
        () => void this.runOnce().catch((error: unknown) => this.logger.error({ err: error }, 'periodic run failed')),
        this.intervalMs,
      );
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Runs now, or joins the run in progress. */
  runOnce(): Promise<number> {
    this.running ??= this.run().finally(() => {
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
    void this.runOnce().catch((error: unknown) => this.logger.error({ err: error }, 'periodic run failed'));
  }
}
