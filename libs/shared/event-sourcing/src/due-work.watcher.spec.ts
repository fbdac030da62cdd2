import { PinoLogger } from 'nestjs-pino';
import { DomainError } from '@conduct/decider';
import { Clock } from './clock';
import { DueWorkWatcher } from './due-work.watcher';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, setContext: () => undefined } as unknown as PinoLogger;
const clock: Clock = { now: () => new Date('2026-03-10T00:00:00Z') };

/** Due items from a list, paged by key as a read model would page them. */
class ListWatcher extends DueWorkWatcher<{ key: string }> {
  readonly acted: string[] = [];
  constructor(
    private readonly keys: string[],
    private readonly failures: Record<string, Error>,
  ) {
    super(clock, silent, 0, 'list_watcher');
  }
  protected due(_now: Date, after: string, limit: number): Promise<{ key: string }[]> {
    return Promise.resolve(
      this.keys
        .filter((key) => key > after)
        .slice(0, limit)
        .map((key) => ({ key })),
    );
  }
  protected act({ key }: { key: string }): Promise<void> {
    const failure = this.failures[key];
    if (failure) return Promise.reject(failure);
    this.acted.push(key);
    return Promise.resolve();
  }
}

describe('DueWorkWatcher', () => {
  const keys = Array.from({ length: 250 }, (_, i) => `case-${String(i).padStart(3, '0')}`);

  it('goes on past an item that fails, to every item behind it, and counts only what it did', async () => {
    const watcher = new ListWatcher(keys, { 'case-001': new Error('database hiccup'), 'case-150': new TypeError('bad row') });
    expect(await watcher.runOnce()).toBe(248);
    expect(watcher.acted).toHaveLength(248);
    expect(watcher.acted).toContain('case-249');
  });

  it('counts items the domain refuses (done meanwhile, here or by another replica) as settled, not done', async () => {
    const watcher = new ListWatcher(keys.slice(0, 3), {
      'case-001': new DomainError('conflict', 'case.deadline-already-missed', 'already recorded'),
    });
    expect(await watcher.runOnce()).toBe(2);
    expect(watcher.acted).toEqual(['case-000', 'case-002']);
  });
});
