import { retryThroughOutage } from './rebuild-runner';

describe('retryThroughOutage', () => {
  it('retries a failing attempt until it succeeds, reporting each failure', async () => {
    let calls = 0;
    const failures: string[] = [];
    const result = await retryThroughOutage(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(new Error(`broker away ${calls}`)) : Promise.resolve('caught up');
      },
      { limitMs: 10_000, pauseMs: 1, onFailure: (error) => failures.push((error as Error).message) },
    );
    expect(result).toBe('caught up');
    expect(calls).toBe(3);
    expect(failures).toEqual(['broker away 1', 'broker away 2']);
  });

  it('throws the last failure once failures have lasted the limit', async () => {
    let calls = 0;
    const attempt = (): Promise<never> => {
      calls += 1;
      return Promise.reject(new Error(`still away ${calls}`));
    };
    await expect(retryThroughOutage(attempt, { limitMs: 30, pauseMs: 5 })).rejects.toThrow(/still away/);
    expect(calls).toBeGreaterThan(1);
  });

  it('does not retry what succeeds at once', async () => {
    let calls = 0;
    await expect(retryThroughOutage(() => Promise.resolve(++calls), { limitMs: 0, pauseMs: 1 })).resolves.toBe(1);
  });
});
