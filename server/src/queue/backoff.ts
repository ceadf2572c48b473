/**
 * Retry delay for a failed attempt: exponential with full jitter in the upper half, never sooner than a
 * provider's retry-after. Pure, so it can be tested exhaustively.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * @param attempt the attempt that just failed, 1-based
 * @param random injectable for tests; returns [0, 1)
 */
export function retryDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random
): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half jittered: spreads retries of many jobs without ever collapsing to zero.
  const jittered = exponential / 2 + random() * (exponential / 2);
  const floor = retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : 0;
  return Math.round(Math.max(jittered, floor));
}
