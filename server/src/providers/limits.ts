/**
 * Per-provider limits shared by every worker of this process: a concurrency cap, requests and images per
 * minute, and a pause after the provider said "slow down" (429/503 with retry-after, or an exhausted
 * x-ratelimit window). While paused, calls fail at once with RateLimitedError and send nothing: the job queue
 * reschedules them after `retryAfterMs`, so a rate-limited provider is not hammered by every waiting job.
 */
import { z } from 'zod';
import { abortableSleep, throwIfAborted } from '../utils/abort';
import { AbortedError, OverloadedError, RateLimitedError } from './errors';
import type { EditRequest, GenerateRequest, ImageProvider, ProviderCallOptions, ProviderResult } from './types';

export const limitsSchema = z
  .object({
    requestsPerMinute: z.number().int().min(1).optional(),
    imagesPerMinute: z.number().int().min(1).optional(),
    maxConcurrent: z.number().int().min(1).optional(),
  })
  .strict();
export type ProviderLimits = z.infer<typeof limitsSchema>;

export interface LimiterClock {
  now?: () => number;
  /** Length of the per-minute window; only tests shorten it. */
  windowMs?: number;
}

export interface ProviderLimiter {
  /** Waits for a slot and rate budget; resolves with a release function. Rejects while paused or on abort. */
  acquire(images: number, signal: AbortSignal): Promise<() => void>;
  /** Learns from an answer: pauses after a rate limit / overload hint or an exhausted window. */
  observe(outcome: { result?: ProviderResult; error?: unknown }): void;
  /** Milliseconds left in the current pause (0 when not paused). */
  pausedForMs(): number;
}

export function createProviderLimiter(name: string, limits: ProviderLimits = {}, clock: LimiterClock = {}): ProviderLimiter {
  const now = clock.now ?? Date.now;
  const windowMs = clock.windowMs ?? 60_000;
  let pausedUntil = 0;
  let active = 0;
  const slotWaiters: Array<() => void> = [];
  /** Start times and image counts of calls in the last minute. */
  const recent: Array<{ at: number; images: number }> = [];

  const pausedForMs = () => Math.max(0, pausedUntil - now());
  const pauseUntil = (until: number) => {
    pausedUntil = Math.max(pausedUntil, until);
  };
  function throwIfPaused(): void {
    const remaining = pausedForMs();
    if (remaining > 0) {
      throw new RateLimitedError(`${name} is pausing after a rate limit; the job will retry in ${Math.ceil(remaining / 1000)} s.`, {
        retryAfterMs: remaining,
        providerCode: 'paused',
      });
    }
  }

  function waitForSlot(signal: AbortSignal): Promise<void> {
    if (limits.maxConcurrent === undefined || active < limits.maxConcurrent) {
      active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        active += 1;
        resolve();
      };
      const onAbort = () => {
        const index = slotWaiters.indexOf(grant);
        if (index >= 0) slotWaiters.splice(index, 1);
        reject(new AbortedError('The request was canceled while waiting for the provider.'));
      };
      slotWaiters.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  function releaseSlot(): void {
    active -= 1;
    slotWaiters.shift()?.();
  }

  /** How long until a call for `images` fits in both per-minute budgets (0 = now). */
  function budgetWaitMs(images: number): number {
    const current = now();
    while (recent.length > 0 && recent[0].at <= current - windowMs) recent.shift();
    let waitMs = 0;
    if (limits.requestsPerMinute !== undefined && recent.length >= limits.requestsPerMinute) {
      waitMs = Math.max(waitMs, recent[recent.length - limits.requestsPerMinute].at + windowMs - current);
    }
    if (limits.imagesPerMinute !== undefined) {
      // A call asking for more than the whole budget still runs once the window is empty.
      const needed = Math.min(images, limits.imagesPerMinute);
      let used = recent.reduce((sum, entry) => sum + entry.images, 0);
      for (const entry of recent) {
        if (used + needed <= limits.imagesPerMinute) break;
        used -= entry.images;
        waitMs = Math.max(waitMs, entry.at + windowMs - current);
      }
    }
    return waitMs;
  }

  return {
    pausedForMs,
    async acquire(images, signal) {
      throwIfAborted(signal);
      throwIfPaused();
      await waitForSlot(signal);
      try {
        for (let waitMs = budgetWaitMs(images); waitMs > 0; waitMs = budgetWaitMs(images)) {
          await abortableSleep(waitMs, signal);
        }
        throwIfPaused(); // a call that finished while we waited may have paused the provider
        recent.push({ at: now(), images });
      } catch (error) {
        releaseSlot();
        throw error;
      }
      let released = false;
      return () => {
        if (!released) releaseSlot();
        released = true;
      };
    },
    observe({ result, error }) {
      if ((error instanceof RateLimitedError || error instanceof OverloadedError) && error.providerCode !== 'paused') {
        if (error.retryAfterMs !== undefined && error.retryAfterMs > 0) pauseUntil(now() + error.retryAfterMs);
      }
      for (const window of Object.values(result?.rateLimit ?? {})) {
        if (window.remaining === 0 && window.resetMs !== undefined && window.resetMs > 0) pauseUntil(now() + window.resetMs);
      }
    },
  };
}

function imagesRequested(params: Record<string, unknown>): number {
  const n = params.n;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 1;
}

/** The same provider, with every call going through `limiter`. */
export function withLimits(provider: ImageProvider, limiter: ProviderLimiter): ImageProvider {
  async function run<R extends GenerateRequest>(call: (request: R, options: ProviderCallOptions) => Promise<ProviderResult>, request: R, options: ProviderCallOptions) {
    const release = await limiter.acquire(imagesRequested(request.params), options.signal);
    try {
      const result = await call(request, options);
      limiter.observe({ result });
      return result;
    } catch (error) {
      limiter.observe({ error });
      throw error;
    } finally {
      release();
    }
  }
  return {
    name: provider.name,
    type: provider.type,
    capabilities: provider.capabilities,
    model: provider.model,
    paramsSchema: provider.paramsSchema,
    describe: () => provider.describe(),
    // Callbacks report on calls already made: never rate limited.
    ...(provider.handleCallback ? { handleCallback: provider.handleCallback.bind(provider) } : {}),
    ...(provider.estimateCostUsd ? { estimateCostUsd: provider.estimateCostUsd.bind(provider) } : {}),
    generate: (request: GenerateRequest, options: ProviderCallOptions) => run(provider.generate.bind(provider), request, options),
    edit: (request: EditRequest, options: ProviderCallOptions) => run(provider.edit.bind(provider), request, options),
  };
}
