import { deliveryIdOf, retryDelayMs } from './webhook-delivery-policy';

const policy = { baseMs: 2_000, maxMs: 60_000 };

describe('webhook delivery ids', () => {
  const subscriptionId = '0b6d3f5e-8a55-4a0e-9a53-3c0d6f1a9e21';
  const eventId = '5b0c0e1e-3d7c-4b1e-9a51-3f1f7d2b9c10';

  it('are the same for the same subscription and event, whoever computes them', () => {
    expect(deliveryIdOf(subscriptionId, eventId)).toBe(deliveryIdOf(subscriptionId, eventId));
    expect(deliveryIdOf(subscriptionId, eventId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differ for another subscription or another event', () => {
    const ids = new Set([
      deliveryIdOf(subscriptionId, eventId),
      deliveryIdOf('1b6d3f5e-8a55-4a0e-9a53-3c0d6f1a9e21', eventId),
      deliveryIdOf(subscriptionId, '6b0c0e1e-3d7c-4b1e-9a51-3f1f7d2b9c10'),
    ]);
    expect(ids.size).toBe(3);
  });
});

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
    const delays = Array.from({ length: 200 }, () => retryDelayMs(4, policy));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(16_000);
    expect(new Set(delays).size).toBeGreaterThan(100);
  });
});
