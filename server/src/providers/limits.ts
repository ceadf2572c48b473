/**
 * Per-provider limits (`limits` on any provider entry): a concurrency cap, requests and images per minute, and
 * a pause after the provider said "slow down" (429/503 with retry-after, or an exhausted x-ratelimit window).
 *
 * The limits hold across every instance on one database: the limiter keeps its state in a LimitStateStore
 * (a row per provider, changed only by compare-and-set) and applies the rules of limit-window.ts. A slot is
 * reserved right before the request is sent. A short wait (under a second or two) happens in place; a longer
 * one rejects with ProviderWaitError, which the job queue turns into "put back, attempt given back, run again
 * when the slot frees" (queue/provider-gate.ts): nothing is sent and no attempt is burned while waiting.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AiAssetsError } from '../errors/domain';
import { abortableSleep, throwIfAborted } from '../utils/abort';
import { OverloadedError, RateLimitedError } from './errors';
import { emptyLimitState, finish, pauseUntil, renew, reserve, type LimitState, type WaitKind, type WindowOptions } from './limit-window';
import type { GenerateRequest, ImageProvider, ProviderCallOptions, ProviderResult } from './types';
import { wrapCalls, type CallKind } from './wrap-calls';

export const limitsSchema = z
  .object({
    requestsPerMinute: z.number().int().min(1).optional(),
    imagesPerMinute: z.number().int().min(1).optional(),
    maxConcurrent: z.number().int().min(1).optional(),
  })
  .strict();
export type ProviderLimits = z.infer<typeof limitsSchema>;

/** Where a provider's limit state lives; `write` succeeds only if nobody wrote since `read` returned `version`. */
export interface LimitStateStore {
  read(provider: string): Promise<{ version: number; state: LimitState }>;
  write(provider: string, version: number, state: LimitState): Promise<boolean>;
}

/** One process's state (unit tests, or a provider used without a database). Same compare-and-set contract. */
export function createMemoryLimitStateStore(): LimitStateStore {
  const rows = new Map<string, { version: number; state: string }>();
  return {
    async read(provider) {
      const row = rows.get(provider) ?? { version: 0, state: JSON.stringify(emptyLimitState()) };
      return { version: row.version, state: JSON.parse(row.state) as LimitState };
    },
    async write(provider, version, state) {
      if ((rows.get(provider)?.version ?? 0) !== version) return false;
      rows.set(provider, { version: version + 1, state: JSON.stringify(state) });
      return true;
    },
  };
}

/**
 * A call must wait for a limit or a pause; nothing was sent. `until` is when the slot frees; `retryAt` (no later)
 * is when to take the job up again: a little before `until`, so that the job is claimed and ready, waits the
 * rest in place and sends right at `until` instead of one poll, claim and pipeline start after it.
 */
export class ProviderWaitError extends AiAssetsError {
  readonly code = 'waiting_for_limit';
  readonly retryable = true;
  readonly retryAt: Date;
  constructor(
    message: string,
    readonly provider: string,
    readonly kind: WaitKind,
    readonly until: Date,
    retryAt?: Date
  ) {
    super(message);
    this.retryAt = retryAt && retryAt.getTime() < until.getTime() ? retryAt : until;
  }
}

export interface LimiterOptions {
  now?: () => number;
  /** Length of the per-minute window; only tests shorten it. */
  windowMs?: number;
  /** A call in flight keeps its slot this long without a renewal (renewed every third of it). */
  inFlightTtlMs?: number;
  /** Waits up to this long in place (in total) before handing the wait back to the queue. */
  maxInPlaceWaitMs?: number;
  store?: LimitStateStore;
}

export interface CallOutcome {
  result?: ProviderResult;
  error?: unknown;
}

export interface ProviderLimiter {
  /**
   * Reserves a slot for a call about to be sent; resolves with `end`, to be called once the answer (or error)
   * is in: it frees the slot and learns from the answer (a rate limit / overload hint or an exhausted window
   * pauses the provider), in one write.
   */
  acquire(images: number, signal: AbortSignal, call?: { arrivesWithinMs?: number }): Promise<(outcome: CallOutcome) => Promise<void>>;
}

/**
 * How soon a generation request to a built-in API reaches the provider once its slot is taken: a JSON body of a
 * few hundred bytes, sent right after the reservation on a kept-alive pool (a cold TLS connect is a few hundred
 * ms). The call then leaves our window one window after this bound rather than after its answer, which for
 * image models comes 10 s to 2 min later. Edits upload images (no such bound) and custom types are unknown:
 * they count until answered.
 */
export const GENERATE_ARRIVAL_BOUND_MS = 1000;

/** Until when the provider asked us to pause, judging by `outcome` (0 = no pause). */
export function pauseAskedUntil({ result, error }: CallOutcome, answeredAt: number): number {
  let until = 0;
  if ((error instanceof RateLimitedError || error instanceof OverloadedError) && error.retryAfterMs !== undefined && error.retryAfterMs > 0) {
    until = answeredAt + error.retryAfterMs;
  }
  for (const window of Object.values(result?.rateLimit ?? {})) {
    if (window.remaining === 0 && window.resetMs !== undefined && window.resetMs > 0) until = Math.max(until, answeredAt + window.resetMs);
  }
  return until;
}

const clockTime = (at: number) => `${new Date(at).toISOString().slice(11, 19)} UTC`;

export function waitReason(name: string, limits: ProviderLimits, kind: WaitKind, until: number): string {
  switch (kind) {
    case 'pause':
      return `waiting: ${name} asked to pause after a rate limit; resuming at ${clockTime(until)}`;
    case 'concurrency':
      return `waiting for ${name}'s concurrency limit (${limits.maxConcurrent} at once); next try at ${clockTime(until)}`;
    case 'requests':
      return `waiting for ${name}'s rate limit (${limits.requestsPerMinute}/min); next slot at ${clockTime(until)}`;
    case 'images':
      return `waiting for ${name}'s image limit (${limits.imagesPerMinute} images/min); next slot at ${clockTime(until)}`;
  }
}

const MAX_WRITE_CONFLICTS = 50;

export function createProviderLimiter(name: string, limits: ProviderLimits = {}, options: LimiterOptions = {}): ProviderLimiter {
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? 60_000;
  const inFlightTtlMs = options.inFlightTtlMs ?? 30_000;
  const maxInPlaceWaitMs = options.maxInPlaceWaitMs ?? 2000;
  const store = options.store ?? createMemoryLimitStateStore();
  const windowOptions = (): WindowOptions => ({ now: now(), windowMs, inFlightTtlMs });
  /** Calls of this process in flight, renewed together by one timer. */
  const held = new Set<string>();
  let renewTimer: NodeJS.Timeout | null = null;

  /** Read, change, compare-and-set; again from the top when another process wrote in between. */
  async function update<T>(change: (state: LimitState) => { state: LimitState | null; value: T }): Promise<T> {
    for (let conflicts = 0; ; conflicts += 1) {
      const { version, state } = await store.read(name);
      const { state: next, value } = change(state);
      if (next === null || (await store.write(name, version, next))) return value;
      if (conflicts >= MAX_WRITE_CONFLICTS) throw new Error(`ai-assets: could not update the limit state of ${name} (too many concurrent writers)`);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(conflicts + 1, 5)));
    }
  }

  function startRenewing(): void {
    if (renewTimer) return;
    renewTimer = setInterval(() => {
      if (held.size === 0) return;
      update((state) => ({ state: renew(state, held, windowOptions()), value: undefined })).catch(() => undefined);
    }, Math.max(50, Math.floor(inFlightTtlMs / 3)));
    renewTimer.unref();
  }

  function stopRenewingIfIdle(): void {
    if (held.size > 0 || !renewTimer) return;
    clearInterval(renewTimer);
    renewTimer = null;
  }

  return {
    async acquire(images, signal, call = {}) {
      const id = randomBytes(8).toString('hex');
      const deadline = now() + maxInPlaceWaitMs;
      for (;;) {
        throwIfAborted(signal);
        const reservation = await update((state) => {
          const result = reserve(state, limits, { id, images, arrivesWithinMs: call.arrivesWithinMs }, windowOptions());
          return { state: result.granted ? result.state : null, value: result };
        });
        if (reservation.granted) break;
        if (reservation.until > deadline) {
          // Back half the in-place wait early: the rest is waited here, ready to send at the slot.
          const retryAt = Math.max(now(), reservation.until - Math.floor(maxInPlaceWaitMs / 2));
          throw new ProviderWaitError(waitReason(name, limits, reservation.kind, reservation.until), name, reservation.kind, new Date(reservation.until), new Date(retryAt));
        }
        await abortableSleep(Math.max(1, reservation.until - now()), signal);
      }
      held.add(id);
      startRenewing();
      let ended = false;
      return async (outcome) => {
        if (ended) return;
        ended = true;
        // The answer's time, not the time this write gets through: the window counts from when the provider answered.
        const answered = { ...windowOptions() };
        held.delete(id);
        stopRenewingIfIdle();
        const pause = pauseAskedUntil(outcome, answered.now);
        await update((state) => {
          const finished = finish(state, id, answered);
          return { state: pause > 0 ? pauseUntil(finished, pause, answered) : finished, value: undefined };
        });
      };
    },
  };
}

function imagesRequested(params: Record<string, unknown>): number {
  const n = params.n;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 1;
}

/** The same provider, with every call going through `limiter`. */
export function withLimits(provider: ImageProvider, limiter: ProviderLimiter, arrival: { generateArrivesWithinMs?: number } = {}): ImageProvider {
  async function run<R extends GenerateRequest>(call: (request: R, options: ProviderCallOptions) => Promise<ProviderResult>, request: R, options: ProviderCallOptions, kind: CallKind) {
    const arrivesWithinMs = kind === 'generate' ? arrival.generateArrivesWithinMs : undefined;
    const end = await limiter.acquire(imagesRequested(request.params), options.signal, { arrivesWithinMs });
    // The bookkeeping after a call must never fail a call that was made (and maybe paid for): if it cannot be
    // written, the slot stays taken until its claim lapses, which errs on the safe side.
    const quietly = (outcome: CallOutcome) => end(outcome).catch(() => undefined);
    let result: ProviderResult;
    try {
      result = await call(request, options);
    } catch (error) {
      await quietly({ error });
      throw error;
    }
    await quietly({ result });
    return result;
  }
  // Callbacks report on calls already made: never rate limited (wrapCalls forwards them as they are).
  return wrapCalls(provider, run);
}
