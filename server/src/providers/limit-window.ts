/**
 * The reservation rules of a provider's limits, as pure functions over one serialisable state. The state is
 * shared by every instance on a database (see shared-limit-state.ts): each change is computed here and
 * written back with a compare-and-set, so two processes can never both take the last slot.
 *
 * Counting is conservative, so that running at exactly the provider's own limit never causes a 429:
 * - a call counts from its reservation (taken right before the request is sent) until one window after it
 *   *finished*. The provider counts it at arrival, which is between the two, so whenever the provider still
 *   counts a call, we do too. When the request is known to arrive within a bound of being sent (a small JSON
 *   body to a built-in API), the call counts until one window after reservation + bound instead (`countsUntil`,
 *   fixed when it is reserved): a generation that takes 30 s then does not hold its place 30 s too long;
 * - a call in flight holds its place until `activeUntil`, which the holder renews while the call runs. If
 *   the process dies, the renewals stop: the concurrency slot frees itself at `activeUntil`, and the rate
 *   slot one window later.
 */
import type { ProviderLimits } from './limits';

export interface LimitCall {
  id: string;
  images: number;
  /** While in flight: when the holder's claim on the call lapses unless renewed. */
  activeUntil?: number;
  /** Once finished: when the call leaves the window. */
  until?: number;
  /** When the request arrives within a known bound of being sent: when it leaves the window, in flight or not. */
  countsUntil?: number;
}

export interface LimitState {
  calls: LimitCall[];
  /** The provider asked us to slow down (retry-after, exhausted x-ratelimit window) until then. */
  pausedUntil?: number;
}

export type WaitKind = 'pause' | 'concurrency' | 'requests' | 'images';

export type Reservation = { granted: true; state: LimitState } | { granted: false; kind: WaitKind; until: number };

export interface WindowOptions {
  now: number;
  windowMs: number;
  /** How long a call in flight holds its slot without a renewal. */
  inFlightTtlMs: number;
}

export const emptyLimitState = (): LimitState => ({ calls: [] });

/** When the provider stops counting `call` at the latest. */
function windowEnd(call: LimitCall, windowMs: number): number {
  if (call.countsUntil !== undefined) return call.countsUntil;
  return call.activeUntil !== undefined ? call.activeUntil + windowMs : (call.until ?? 0);
}

/** When the call leaves the window at the earliest (a call in flight may finish now): for the wait estimate. */
function earliestEnd(call: LimitCall, now: number, windowMs: number): number {
  if (call.countsUntil !== undefined) return call.countsUntil;
  return call.activeUntil !== undefined ? Math.min(call.activeUntil, now) + windowMs : (call.until ?? 0);
}

/** The calls that still count at `now`, or still hold a concurrency slot; the rest are dropped so the state stays small. */
export function prune(state: LimitState, now: number, windowMs: number): LimitState {
  const calls = state.calls.filter((call) => windowEnd(call, windowMs) > now || (call.activeUntil !== undefined && call.activeUntil > now));
  return state.pausedUntil !== undefined && state.pausedUntil > now ? { calls, pausedUntil: state.pausedUntil } : { calls };
}

/** Takes a slot for call `id` asking for `images`, or says what it waits for and until when (an estimate). */
export function reserve(state: LimitState, limits: ProviderLimits, call: { id: string; images: number; arrivesWithinMs?: number }, options: WindowOptions): Reservation {
  const { now, windowMs } = options;
  const current = prune(state, now, windowMs);
  if (current.pausedUntil !== undefined) return { granted: false, kind: 'pause', until: current.pausedUntil };

  if (limits.maxConcurrent !== undefined) {
    const active = current.calls.filter((entry) => entry.activeUntil !== undefined && entry.activeUntil > now);
    if (active.length >= limits.maxConcurrent) {
      // Calls usually finish long before their claim lapses: look again soon rather than at the lapse.
      const soonest = Math.min(...active.map((entry) => entry.activeUntil as number));
      return { granted: false, kind: 'concurrency', until: Math.min(soonest, now + 1000) };
    }
  }

  const ends = current.calls
    .map((entry) => ({ end: earliestEnd(entry, now, windowMs), images: entry.images }))
    .filter((entry) => entry.end > now) // a call still in flight whose fixed window end has passed holds only its concurrency slot
    .sort((a, b) => a.end - b.end);
  if (limits.requestsPerMinute !== undefined && ends.length >= limits.requestsPerMinute) {
    return { granted: false, kind: 'requests', until: Math.max(now + 1, ends[ends.length - limits.requestsPerMinute].end) };
  }
  if (limits.imagesPerMinute !== undefined) {
    // A call asking for more than the whole budget still runs once the window is empty.
    const needed = Math.min(call.images, limits.imagesPerMinute);
    let used = ends.reduce((sum, entry) => sum + entry.images, 0);
    let until = now;
    for (const entry of ends) {
      if (used + needed <= limits.imagesPerMinute) break;
      used -= entry.images;
      until = entry.end;
    }
    if (until > now) return { granted: false, kind: 'images', until };
  }

  const reserved: LimitCall = { id: call.id, images: call.images, activeUntil: now + options.inFlightTtlMs };
  if (call.arrivesWithinMs !== undefined) reserved.countsUntil = now + call.arrivesWithinMs + windowMs;
  return { granted: true, state: { ...current, calls: [...current.calls, reserved] } };
}

/** The call finished (or failed): it stops holding a concurrency slot and leaves the window one window from now (or at its fixed end). */
export function finish(state: LimitState, id: string, options: WindowOptions): LimitState {
  const current = prune(state, options.now, options.windowMs);
  return {
    ...current,
    calls: current.calls.map((call) => {
      if (call.id !== id) return call;
      // A fixed window end stays; otherwise the call counts until one window after now, when it finished.
      return call.countsUntil !== undefined ? { id: call.id, images: call.images, countsUntil: call.countsUntil } : { id: call.id, images: call.images, until: options.now + options.windowMs };
    }),
  };
}

/** The holder is alive: its calls in flight keep their slots for another `inFlightTtlMs`. */
export function renew(state: LimitState, ids: ReadonlySet<string>, options: WindowOptions): LimitState {
  const current = prune(state, options.now, options.windowMs);
  return {
    ...current,
    calls: current.calls.map((call) => (ids.has(call.id) && call.activeUntil !== undefined ? { ...call, activeUntil: options.now + options.inFlightTtlMs } : call)),
  };
}

/** No call starts before `until` (the provider's retry-after); an earlier pause is never shortened. */
export function pauseUntil(state: LimitState, until: number, options: WindowOptions): LimitState {
  const current = prune(state, options.now, options.windowMs);
  return until > options.now ? { ...current, pausedUntil: Math.max(current.pausedUntil ?? 0, until) } : current;
}
