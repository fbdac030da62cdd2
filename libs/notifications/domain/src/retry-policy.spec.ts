import { retryDelayMs } from './retry-policy';

const policy = { baseMs: 2_000, maxMs: 60_000 };

describe('retry backoff with full jitter', () => {
  it('stays within [0, base · 2^(attempt-1)) for every attempt', () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const ceiling = policy.baseMs * 2 ** (attempt - 1);
      expect(retryDelayMs(attempt, policy, () => 0)).toBe(0);
      expect(retryDelayMs(attempt, policy, () => 0.999999)).toBe(Math.floor(0.999999 * ceiling));
      expect(retryDelayMs(attempt, policy, () => 0.5)).toBe(ceiling / 2);
    }
  });

  it('is capped at the maximum however many attempts failed', () => {
    expect(retryDelayMs(6, policy, () => 0.999999)).toBeLessThan(policy.maxMs);
    expect(retryDelayMs(6, policy, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(50, policy, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(5_000, policy, () => 0.5)).toBe(30_000);
  });

  it('spreads the retries of deliveries that failed together', () => {
    const delays = Array.from({ length: 200 }, () => retryDelayMs(4, policy, Math.random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(16_000);
    expect(new Set(delays).size).toBeGreaterThan(100);
  });
});
