import { PinoLogger } from 'nestjs-pino';
import { DomainError } from '@conduct/decider';
import { Clock } from './clock';
import { PeriodicRun } from './periodic-run';

const BATCH = 100;

/**
 * A durable watcher: every `intervalMs` it asks a read model in PostgreSQL for the work due now
 * and acts on each item through a command. Durable by construction (a restarted process finds
 * what is still due), never acting twice (the decider refuses a repeat, and a concurrent run, in
 * this replica or another, loses on the stream version). Items are paged by key, so rows the
 * domain refuses (done meanwhile: the read model lags the stream by milliseconds) never hide the
 * rows behind them, and an item that fails is logged and left for the next scan without ending
 * this one: one bad case must not hold back every deadline behind it.
 */
export abstract class DueWorkWatcher<Item extends { key: string }> extends PeriodicRun {
  protected constructor(
    protected readonly clock: Clock,
    logger: PinoLogger,
    /** Milliseconds between scans; 0 turns the watcher off (tests call runOnce). */
    intervalMs: number,
    /** The `task` label of its metrics (PeriodicRun). */
    task: string,
  ) {
    super(logger, intervalMs, task);
  }

  /** Items due at `now` with a key greater than `after`, in key order, at most `limit`. */
  protected abstract due(now: Date, after: string, limit: number): Promise<Item[]>;

  /** Acts on one item; a DomainError of kind conflict or not-found means it was done meanwhile. */
  protected abstract act(item: Item): Promise<void>;

  /** One scan: acts on every item due now; returns how many it acted on. */
  protected async run(): Promise<number> {
    const now = this.clock.now();
    let done = 0;
    let failed = 0;
    let after = '';
    for (;;) {
      const items = await this.due(now, after, BATCH);
      for (const item of items) {
        const outcome = await this.tryAct(item);
        if (outcome === 'done') done += 1;
        if (outcome === 'failed') failed += 1;
      }
      const last = items.at(-1);
      if (!last || items.length < BATCH) break;
      after = last.key;
    }
    if (done > 0) this.logger.info({ done }, 'acted on due work');
    if (failed > 0) this.logger.warn({ failed }, 'due work failed for some items; the next scan tries them again');
    return done;
  }

  private async tryAct(item: Item): Promise<'done' | 'settled' | 'failed'> {
    try {
      await this.act(item);
      return 'done';
    } catch (error) {
      if (error instanceof DomainError && (error.kind === 'conflict' || error.kind === 'not-found')) return 'settled';
      this.logger.error({ err: error, key: item.key }, 'due work failed for one item');
      return 'failed';
    }
  }
}
