import { PinoLogger } from 'nestjs-pino';
import { PeriodicRun } from './periodic-run';

const quietLogger = { error: jest.fn(), setContext: jest.fn() } as unknown as PinoLogger;

/** A run that waits until the test lets it finish, counting how many runs started. */
class GatedRun extends PeriodicRun {
  started = 0;
  private release?: () => void;

  constructor(intervalMs: number) {
    super(quietLogger, intervalMs);
  }

  protected run(): Promise<number> {
    this.started += 1;
    return new Promise((resolve) => (this.release = () => resolve(1)));
  }

  finishRun(): void {
    this.release?.();
    this.release = undefined;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PeriodicRun.nudge', () => {
  it('runs at once instead of waiting for the next tick', async () => {
    const work = new GatedRun(60_000);
    work.nudge();
    await settle();
    expect(work.started).toBe(1);
    work.finishRun();
    await settle();
    await work.beforeApplicationShutdown();
  });

  it('during a run, runs once more right after it, however many nudges came', async () => {
    const work = new GatedRun(60_000);
    work.nudge();
    await settle();
    work.nudge();
    work.nudge();
    expect(work.started).toBe(1);
    work.finishRun();
    await settle();
    expect(work.started).toBe(2);
    work.finishRun();
    await settle();
    expect(work.started).toBe(2);
    await work.beforeApplicationShutdown();
  });

  it('does nothing with the timer off (tests drive the runs) or once shutting down', async () => {
    const manual = new GatedRun(0);
    manual.nudge();
    await settle();
    expect(manual.started).toBe(0);

    const stopping = new GatedRun(60_000);
    stopping.nudge();
    await settle();
    stopping.nudge();
    const shutdown = stopping.beforeApplicationShutdown();
    stopping.finishRun();
    await shutdown;
    await settle();
    expect(stopping.started).toBe(1);
    stopping.nudge();
    await settle();
    expect(stopping.started).toBe(1);
  });
});
