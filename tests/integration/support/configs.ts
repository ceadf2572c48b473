/** Plugin configs used by integration tests (the README contract, with fast queue timings). */
import { demoConfig } from '../../../playground/config/plugins';
export const FAST_QUEUE = { concurrency: 2, maxAttempts: 3, leaseMs: 3000, pollIntervalMs: 100, backoffBaseMs: 200, maxBackoffMs: 2000 };

/** The README's contract rule, exactly as the demo runs it (one copy, in the playground config). */
export const coverRule = demoConfig.rules[0];

export function config(rules: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  return { providers: { studio: { type: 'local' } }, defaultProvider: 'local', rules, queue: FAST_QUEUE, ...extra };
}
