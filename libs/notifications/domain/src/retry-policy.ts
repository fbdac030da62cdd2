export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * The pause after failed attempt `attempt` (1-based): exponential backoff with full jitter,
 * uniform in [0, min(max, base · 2^(attempt-1))). Jitter spreads the retries of many deliveries
 * that failed together (a receiver that was down) instead of hitting it again all at once.
 * `random` is a number in [0, 1): the caller draws it, so the decision stays a pure function.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.floor(random() * ceiling);
}
