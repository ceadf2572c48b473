import { retryDelayMs } from '../../../server/src/queue/backoff';

const policy = { baseMs: 1000, maxMs: 10_000 };
const fixed = (value: number) => () => value;

describe('queue/backoff', () => {
  describe('retryDelayMs', () => {
    it.each([
      // attempt, random, expected: half fixed + random * half, of base * 2^(attempt-1) capped at maxMs
      [1, 0, 500],
      [1, 0.5, 750],
      [1, 0.999, 1000],
      [2, 0, 1000],
      [2, 0.5, 1500],
      [2, 0.999, 1999],
      [3, 0, 2000],
      [3, 0.5, 3000],
      [3, 0.999, 3998],
      [4, 0, 4000],
      [4, 0.5, 6000],
      [4, 0.999, 7996],
      [5, 0, 5000],
      [5, 0.5, 7500],
      [5, 0.999, 9995],
      [6, 0, 5000],
      [6, 0.999, 9995],
      [50, 0.5, 7500],
      [5000, 0.999, 9995],
      [0, 0.5, 750],
    ])('after attempt %i with random %f waits %i ms', (attempt, random, expected) => {
      expect(retryDelayMs(attempt, policy, undefined, fixed(random))).toBe(expected);
    });

    it('never waits more than maxMs nor less than half of it once capped', () => {
      for (let attempt = 1; attempt <= 40; attempt += 1) {
        for (const random of [0, 0.5, 0.999]) {
          const delay = retryDelayMs(attempt, policy, undefined, fixed(random));
          expect(delay).toBeLessThanOrEqual(policy.maxMs);
          expect(delay).toBeGreaterThanOrEqual(Math.min(policy.baseMs * 2 ** (attempt - 1), policy.maxMs) / 2);
        }
      }
    });

    it('keeps attempt 1 within the base delay and grows it exponentially after', () => {
      const delays = [1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, undefined, fixed(0)));
      expect(delays).toEqual([500, 1000, 2000, 4000]);
      expect(retryDelayMs(1, policy, undefined, fixed(0.999))).toBeLessThanOrEqual(policy.baseMs);
    });

    it.each([
      [1, 0, 30_000, 30_000],
      [1, 0.999, 800, 1000],
      [3, 0.5, 2999, 3000],
      [3, 0.5, 3001, 3001],
      [10, 0.999, 60_000, 60_000],
      [1, 0.5, 0, 750],
      [1, 0.5, -5, 750],
    ])('after attempt %i with random %f and retry-after %i waits %i ms', (attempt, random, retryAfterMs, expected) => {
      expect(retryDelayMs(attempt, policy, retryAfterMs, fixed(random))).toBe(expected);
    });

    it('waits 0 with a zero base and no retry-after', () => {
      expect(retryDelayMs(3, { baseMs: 0, maxMs: 10_000 }, undefined, fixed(0.999))).toBe(0);
    });

    it('uses Math.random by default and stays within the jitter window', () => {
      for (let index = 0; index < 50; index += 1) {
        const delay = retryDelayMs(2, policy);
        expect(delay).toBeGreaterThanOrEqual(1000);
        expect(delay).toBeLessThanOrEqual(2000);
      }
    });
  });
});
