import { PinoLogger } from 'nestjs-pino';
import { metricValue } from '@conduct/testing';
import { PeriodicRun } from './periodic-run';

const quietLogger = { error: jest.fn(), setContext: jest.fn() } as unknown as PinoLogger;

/** A run that waits until the test lets it finish, counting how many runs started. */
class GatedRun extends PeriodicRun {
  started = 0;
  private release?: (outcome: 'done' | 'failed') => void;

  constructor(intervalMs: number, task = 'gated_run') {
    super(quietLogger, intervalMs, task);
  }

  protected run(): Promise<number> {
    this.started += 1;
    return new Promise((resolve, reject) => (this.release = (outcome) => (outcome === 'done' ? resolve(1) : reject(new Error('run failed')))));
  }

  finishRun(outcome: 'done' | 'failed' = 'done'): void {
    this.release?.(outcome);
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

describe('PeriodicRun metrics', () => {
  const lastSuccess = (task: string) => metricValue('conduct_periodic_run_last_success_timestamp_seconds', { task });

  it('stamps the last successful run, counts failed ones and publishes the interval', async () => {
    const task = 'measured_run';
    const work = new GatedRun(60_000, task);
    const beforeStart = Date.now() / 1000;
    work.onApplicationBootstrap();
    // Until its first run, the start of the process: an alert can still see a task that never runs.
    const atStart = (await lastSuccess(task))!;
    expect(atStart).toBeGreaterThanOrEqual(beforeStart);
    expect(await metricValue('conduct_periodic_run_interval_seconds', { task })).toBe(60);

    await new Promise((resolve) => setTimeout(resolve, 5));
    const failed = work.runOnce();
    work.finishRun('failed');
    await expect(failed).rejects.toThrow('run failed');
    expect(await lastSuccess(task)).toBe(atStart);
    expect(await metricValue('conduct_periodic_run_failures_total', { task })).toBe(1);

    const done = work.runOnce();
    work.finishRun('done');
    await done;
    expect(await lastSuccess(task)).toBeGreaterThan(atStart);
    expect(await metricValue('conduct_periodic_run_failures_total', { task })).toBe(1);
    await work.beforeApplicationShutdown();
  });
});
