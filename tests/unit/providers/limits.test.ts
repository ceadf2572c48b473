import { pluginConfigSchema } from '../../../server/src/config/schema';
import { z } from 'zod';
import { AbortedError, OverloadedError, RateLimitedError, ServerError } from '../../../server/src/providers/errors';
import { emptyLimitState, finish, pauseUntil, prune, renew, reserve, type LimitState } from '../../../server/src/providers/limit-window';
import { createMemoryLimitStateStore, createProviderLimiter, ProviderWaitError, withLimits, type LimitStateStore } from '../../../server/src/providers/limits';
import { createProviderRegistry } from '../../../server/src/providers/registry';
import type { ImageProvider, ProviderResult } from '../../../server/src/providers/types';
import { FakeOpenAI } from '../../fakes/fake-openai';
import { captureLog, rejectionOf, signal } from './support';

/** An in-memory provider whose calls finish when the test says so. */
function scriptedProvider() {
  const pending: Array<{ resolve: (result: ProviderResult) => void; reject: (error: unknown) => void }> = [];
  let running = 0;
  let maxRunning = 0;
  const calls: number[] = [];
  const call = () =>
    new Promise<ProviderResult>((resolve, reject) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      calls.push(Date.now());
      pending.push({
        resolve: (result) => ((running -= 1), resolve(result)),
        reject: (error) => ((running -= 1), reject(error)),
      });
    });
  const provider = {
    name: 'scripted',
    type: 'scripted',
    capabilities: { generate: true, edit: true, mask: false, maxImages: 10, sizes: [], formats: ['png'], transparentBackground: false },
    paramsSchema: undefined as never,
    generate: call,
    edit: call,
    describe: () => ({ configured: true }),
  } as ImageProvider;
  return { provider, pending, calls, maxRunning: () => maxRunning };
}

const ok: ProviderResult = { images: [] };
const request = (n = 1) => ({ prompt: 'x', params: { n } });

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const opts = (now: number, windowMs = 60_000, inFlightTtlMs = 30_000) => ({ now, windowMs, inFlightTtlMs });

/** Reserves `count` calls at `now` (each granted), finishing them at `finishedAt` when given. */
function filled(count: number, now: number, finishedAt?: number, images = 1): LimitState {
  let state = emptyLimitState();
  for (let index = 0; index < count; index += 1) {
    const result = reserve(state, {}, { id: `c${index}`, images }, opts(now));
    if (!result.granted) throw new Error('expected a slot');
    state = result.state;
    if (finishedAt !== undefined) state = finish(state, `c${index}`, opts(finishedAt));
  }
  return state;
}

describe('limit window', () => {
  describe('reserve', () => {
    it('grants up to requestsPerMinute calls and then names when the next slot frees', () => {
      const state = filled(3, 1000, 3000);
      expect(reserve(state, { requestsPerMinute: 4 }, { id: 'x', images: 1 }, opts(3000)).granted).toBe(true);
      expect(reserve(state, { requestsPerMinute: 3 }, { id: 'x', images: 1 }, opts(3000))).toEqual({ granted: false, kind: 'requests', until: 63_000 });
    });

    it('counts a finished call for one window after it finished, not after it was reserved', () => {
      // Reserved at 1 s, answered at 3 s: the provider may have counted it as late as 3 s.
      const state = filled(1, 1000, 3000);
      expect(reserve(state, { requestsPerMinute: 1 }, { id: 'x', images: 1 }, opts(61_500)).granted).toBe(false);
      expect(reserve(state, { requestsPerMinute: 1 }, { id: 'x', images: 1 }, opts(63_000)).granted).toBe(true);
    });

    it('counts a call in flight for the whole window and estimates its end as if it finished now', () => {
      const state = filled(1, 1000);
      expect(reserve(state, { requestsPerMinute: 1 }, { id: 'x', images: 1 }, opts(20_000))).toEqual({ granted: false, kind: 'requests', until: 80_000 });
    });

    it('frees the concurrency slot of a holder that stopped renewing at its lapse, and its rate slot one window later', () => {
      const state = filled(1, 0); // activeUntil = 30 s, never renewed or finished: the process died
      expect(reserve(state, { maxConcurrent: 1 }, { id: 'x', images: 1 }, opts(29_000))).toMatchObject({ granted: false, kind: 'concurrency' });
      expect(reserve(state, { maxConcurrent: 1 }, { id: 'x', images: 1 }, opts(30_001)).granted).toBe(true);
      expect(reserve(state, { requestsPerMinute: 1 }, { id: 'x', images: 1 }, opts(60_000))).toEqual({ granted: false, kind: 'requests', until: 90_000 });
      expect(reserve(state, { requestsPerMinute: 1 }, { id: 'x', images: 1 }, opts(90_001)).granted).toBe(true);
    });

    it('keeps a renewed call in flight holding its concurrency slot', () => {
      const state = renew(filled(1, 0), new Set(['c0']), opts(25_000));
      expect(reserve(state, { maxConcurrent: 1 }, { id: 'x', images: 1 }, opts(40_000))).toMatchObject({ granted: false, kind: 'concurrency' });
      const done = finish(state, 'c0', opts(41_000));
      expect(reserve(done, { maxConcurrent: 1 }, { id: 'x', images: 1 }, opts(41_000)).granted).toBe(true);
    });

    it.each([
      ['fits beside the calls in the window', 4, 2, 1000, true, undefined],
      ['waits for enough images to leave the window', 4, 3, 1000, false, 61_000],
      ['runs a call larger than the whole budget once the window is empty', 2, 5, 70_000, true, undefined],
    ])('imagesPerMinute: a call that %s', (_case, limit, images, now, granted, until) => {
      const state = filled(1, 0, 1000, 2);
      const result = reserve(state, { imagesPerMinute: limit }, { id: 'x', images }, opts(now));
      expect(result.granted).toBe(granted);
      if (!result.granted) expect(result).toEqual({ granted: false, kind: 'images', until });
    });

    it('waits out a pause and never shortens one', () => {
      let state = pauseUntil(emptyLimitState(), 10_000, opts(0));
      state = pauseUntil(state, 5000, opts(1000));
      expect(reserve(state, {}, { id: 'x', images: 1 }, opts(9000))).toEqual({ granted: false, kind: 'pause', until: 10_000 });
      expect(reserve(state, {}, { id: 'x', images: 1 }, opts(10_000)).granted).toBe(true);
    });

    it('prunes calls that left the window so the state stays small', () => {
      expect(prune(filled(5, 0, 1000), 61_001, 60_000).calls).toHaveLength(0);
    });

    describe('a request known to arrive within a bound of being sent', () => {
      const bounded = (now: number) => {
        const result = reserve(emptyLimitState(), {}, { id: 'g', images: 1, arrivesWithinMs: 1000 }, opts(now));
        if (!result.granted) throw new Error('expected a slot');
        return result.state;
      };

      it('leaves the window one window after reservation + bound, however long its answer takes', () => {
        // Reserved at 0, answered at 30 s: the provider counted it by 1 s at the latest.
        const state = finish(bounded(0), 'g', opts(30_000));
        expect(reserve(state, { requestsPerMinute: 1 }, { id: 'x', images: 1 }, opts(60_500))).toEqual({ granted: false, kind: 'requests', until: 61_000 });
        expect(reserve(state, { requestsPerMinute: 1 }, { id: 'x', images: 1 }, opts(61_000)).granted).toBe(true);
        // Without the bound the same call would count until 90 s.
        const unbounded = filled(1, 0, 30_000);
        expect(reserve(unbounded, { requestsPerMinute: 1 }, { id: 'x', images: 1 }, opts(61_000))).toEqual({ granted: false, kind: 'requests', until: 90_000 });
      });

      it('frees its rate slot while still in flight, but keeps its concurrency slot until it finishes', () => {
        const state = renew(bounded(0), new Set(['g']), opts(50_000)); // still running at 70 s
        expect(reserve(state, { requestsPerMinute: 1 }, { id: 'x', images: 1 }, opts(70_000)).granted).toBe(true);
        expect(reserve(state, { maxConcurrent: 1 }, { id: 'x', images: 1 }, opts(70_000))).toMatchObject({ granted: false, kind: 'concurrency' });
        expect(prune(state, 70_000, 60_000).calls).toHaveLength(1);
        expect(prune(finish(state, 'g', opts(70_000)), 70_000, 60_000).calls).toHaveLength(0);
      });
    });
  });
});

/** Two limiters sharing one store behave like two instances sharing a database. */
function instances(limits: Parameters<typeof createProviderLimiter>[1], options: Parameters<typeof createProviderLimiter>[2] = {}) {
  const store = createMemoryLimitStateStore();
  return [createProviderLimiter('studio', limits, { ...options, store }), createProviderLimiter('studio', limits, { ...options, store })];
}

describe('provider limits', () => {
  describe('maxConcurrent', () => {
    it('runs at most maxConcurrent calls at once and starts the next when one finishes', async () => {
      const scripted = scriptedProvider();
      const limited = withLimits(scripted.provider, createProviderLimiter('p', { maxConcurrent: 2 }, { maxInPlaceWaitMs: 5000 }));
      const results = [1, 2, 3].map(() => limited.generate(request(), { signal: signal() }));
      await until(() => scripted.pending.length === 2);
      expect(scripted.calls).toHaveLength(2);
      scripted.pending.shift()!.resolve(ok);
      await until(() => scripted.calls.length === 3);
      scripted.pending.splice(0).forEach((entry) => entry.resolve(ok));
      await Promise.all(results);
      expect(scripted.maxRunning()).toBe(2);
    });

    it('holds across instances sharing the state, and hands a long wait back as ProviderWaitError', async () => {
      const scripted = scriptedProvider();
      const [a, b] = instances({ maxConcurrent: 1 }, { maxInPlaceWaitMs: 0 });
      const first = withLimits(scripted.provider, a).generate(request(), { signal: signal() });
      await until(() => scripted.pending.length === 1);
      const error = await rejectionOf(withLimits(scripted.provider, b).generate(request(), { signal: signal() }));
      expect(error).toBeInstanceOf(ProviderWaitError);
      expect(error.message).toMatch(/^waiting for studio's concurrency limit \(1 at once\); next try at \d\d:\d\d:\d\d UTC$/);
      expect(scripted.calls).toHaveLength(1);
      scripted.pending.shift()!.resolve(ok);
      await first;
      const second = withLimits(scripted.provider, b).generate(request(), { signal: signal() });
      await until(() => scripted.pending.length === 1);
      scripted.pending.shift()!.resolve(ok);
      await second;
    });

    it('rejects a call waiting for a slot with AbortedError when its signal aborts', async () => {
      const scripted = scriptedProvider();
      const limited = withLimits(scripted.provider, createProviderLimiter('p', { maxConcurrent: 1 }, { maxInPlaceWaitMs: 60_000 }));
      const first = limited.generate(request(), { signal: signal() });
      const controller = new AbortController();
      await until(() => scripted.calls.length === 1);
      const waiting = limited.generate(request(), { signal: controller.signal });
      controller.abort();
      expect(await rejectionOf(waiting)).toBeInstanceOf(AbortedError);
      scripted.pending.shift()!.resolve(ok);
      await first;
      // The aborted waiter must not have kept a slot.
      const third = limited.generate(request(), { signal: signal() });
      await until(() => scripted.calls.length === 2);
      scripted.pending.shift()!.resolve(ok);
      await third;
    });
  });

  describe('per-minute budgets', () => {
    it('waits in place for a slot that frees within maxInPlaceWaitMs', async () => {
      const scripted = scriptedProvider();
      const limited = withLimits(scripted.provider, createProviderLimiter('p', { requestsPerMinute: 2 }, { windowMs: 250 }));
      const results = [1, 2, 3].map(() => limited.generate(request(), { signal: signal() }));
      await until(() => scripted.calls.length === 2);
      const answered = Date.now();
      scripted.pending.splice(0).forEach((entry) => entry.resolve(ok));
      await until(() => scripted.calls.length === 3);
      // One window after the earlier calls were *answered*, not after they were sent.
      expect(scripted.calls[2] - answered).toBeGreaterThanOrEqual(240);
      scripted.pending.splice(0).forEach((entry) => entry.resolve(ok));
      await Promise.all(results);
    });

    it('shares requestsPerMinute across instances and says when the next slot frees', async () => {
      const scripted = scriptedProvider();
      const [a, b] = instances({ requestsPerMinute: 3 });
      const calls = [a, b, a].map((limiter) => withLimits(scripted.provider, limiter).generate(request(), { signal: signal() }));
      await until(() => scripted.pending.length === 3);
      scripted.pending.splice(0).forEach((entry) => entry.resolve(ok));
      await Promise.all(calls);
      const before = Date.now();
      const error = await rejectionOf(withLimits(scripted.provider, b).generate(request(), { signal: signal() }));
      expect(error).toBeInstanceOf(ProviderWaitError);
      expect(error.message).toMatch(/^waiting for studio's rate limit \(3\/min\); next slot at \d\d:\d\d:\d\d UTC$/);
      expect((error as unknown as ProviderWaitError).until.getTime()).toBeGreaterThanOrEqual(before + 59_000);
      expect(scripted.calls).toHaveLength(3);
    });

    it('asks to be taken up again half the in-place wait before the slot, to wait the rest in place', async () => {
      const scripted = scriptedProvider();
      const limited = withLimits(scripted.provider, createProviderLimiter('p', { requestsPerMinute: 1 }, { maxInPlaceWaitMs: 2000 }));
      const first = limited.generate(request(), { signal: signal() });
      await until(() => scripted.pending.length === 1);
      scripted.pending.shift()!.resolve(ok);
      await first;
      const wait = (await rejectionOf(limited.generate(request(), { signal: signal() }))) as unknown as ProviderWaitError;
      expect(wait).toBeInstanceOf(ProviderWaitError);
      expect(wait.until.getTime() - wait.retryAt.getTime()).toBe(1000);
      expect(scripted.calls).toHaveLength(1);
    });

    it('counts images (params.n) against imagesPerMinute', async () => {
      const scripted = scriptedProvider();
      const limited = withLimits(scripted.provider, createProviderLimiter('p', { imagesPerMinute: 4 }, { windowMs: 250 }));
      const first = limited.generate(request(3), { signal: signal() });
      await until(() => scripted.calls.length === 1);
      scripted.pending.shift()!.resolve(ok);
      await first;
      const second = limited.generate(request(2), { signal: signal() });
      await until(() => scripted.calls.length === 2);
      expect(scripted.calls[1] - scripted.calls[0]).toBeGreaterThanOrEqual(200);
      scripted.pending.splice(0).forEach((entry) => entry.resolve(ok));
      await second;
    });

    it('never lets concurrent reservations from many instances exceed the limit (compare-and-set retries)', async () => {
      const store = createMemoryLimitStateStore();
      let conflicts = 0;
      // Reads and writes interleave: every writer races the others.
      const racing: LimitStateStore = {
        read: (provider) => store.read(provider),
        write: async (provider, version, state) => {
          await new Promise((resolve) => setImmediate(resolve));
          const written = await store.write(provider, version, state);
          if (!written) conflicts += 1;
          return written;
        },
      };
      const limiters = [1, 2, 3, 4, 5].map(() => createProviderLimiter('studio', { requestsPerMinute: 7 }, { store: racing, maxInPlaceWaitMs: 0 }));
      const outcomes = await Promise.allSettled(limiters.flatMap((limiter) => [1, 2, 3].map(() => limiter.acquire(1, signal()))));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(7);
      expect(outcomes.filter((outcome) => outcome.status === 'rejected' && outcome.reason instanceof ProviderWaitError)).toHaveLength(8);
      expect(conflicts).toBeGreaterThan(0);
    });
  });

  describe('pause', () => {
    it.each([
      ['RateLimitedError with retryAfterMs', true, new RateLimitedError('slow down', { retryAfterMs: 5000 })],
      ['OverloadedError with retryAfterMs', true, new OverloadedError('busy', { retryAfterMs: 5000 })],
      ['RateLimitedError without retryAfterMs', false, new RateLimitedError('slow down')],
      ['ServerError', false, new ServerError('oops', { retryAfterMs: 5000 })],
    ])('after a %s, pauses the provider on every instance: %s', async (_case, pauses, failure) => {
      let clock = 1_000_000;
      const scripted = scriptedProvider();
      const [a, b] = instances({}, { now: () => clock, maxInPlaceWaitMs: 0 });
      const first = withLimits(scripted.provider, a).generate(request(), { signal: signal() });
      await until(() => scripted.pending.length === 1);
      scripted.pending.shift()!.reject(failure);
      expect(await rejectionOf(first)).toBe(failure);

      clock += 1000;
      const second = withLimits(scripted.provider, b).generate(request(), { signal: signal() });
      if (pauses) {
        const error = await rejectionOf(second);
        expect(error).toBeInstanceOf(ProviderWaitError);
        expect((error as unknown as ProviderWaitError).until.getTime()).toBe(clock + 4000);
        expect(error.message).toMatch(/^waiting: studio asked to pause after a rate limit; resuming at/);
        expect(scripted.calls).toHaveLength(1);
        clock += 4001;
        const third = withLimits(scripted.provider, b).generate(request(), { signal: signal() });
        await until(() => scripted.pending.length === 1);
        scripted.pending.shift()!.resolve(ok);
        await third;
      } else {
        await until(() => scripted.pending.length === 1);
        scripted.pending.shift()!.resolve(ok);
        await second;
      }
    });

    it('pauses until the reset of an exhausted x-ratelimit window', async () => {
      let clock = 0;
      const scripted = scriptedProvider();
      const limited = withLimits(scripted.provider, createProviderLimiter('p', {}, { now: () => clock, maxInPlaceWaitMs: 0 }));
      const first = limited.generate(request(), { signal: signal() });
      await until(() => scripted.pending.length === 1);
      scripted.pending.shift()!.resolve({ images: [], rateLimit: { requests: { limit: 5, remaining: 0, resetMs: 1500 } } });
      await first;
      const error = await rejectionOf(limited.generate(request(), { signal: signal() }));
      expect((error as unknown as ProviderWaitError).until.getTime()).toBe(1500);
    });
  });

  describe('bookkeeping failures', () => {
    it('returns the result of a call that was made even if the limit state cannot be written afterwards', async () => {
      const store = createMemoryLimitStateStore();
      let broken = false;
      const flaky: LimitStateStore = {
        read: (provider) => (broken ? Promise.reject(new Error('database is gone')) : store.read(provider)),
        write: (provider, version, state) => store.write(provider, version, state),
      };
      const scripted = scriptedProvider();
      const call = withLimits(scripted.provider, createProviderLimiter('p', { requestsPerMinute: 5 }, { store: flaky })).generate(request(), { signal: signal() });
      await until(() => scripted.pending.length === 1);
      broken = true;
      scripted.pending.shift()!.resolve(ok);
      expect(await call).toBe(ok);
    });
  });

  describe('registry', () => {
    it('wraps network providers so a 429 pauses later calls without sending them', async () => {
      const fake = await new FakeOpenAI().start();
      try {
        const registry = createProviderRegistry();
        const config = pluginConfigSchema.parse({
          providers: { studio: { type: 'openai', apiKey: fake.apiKey, baseUrl: `${fake.url}/v1`, limits: { maxConcurrent: 2 } } },
          defaultProvider: 'studio',
        });
        registry.build(config, captureLog().log);
        fake.inject({ name: 'rate_limit', retryAfterSeconds: 20 });
        const studio = registry.get('studio');
        expect(await rejectionOf(studio.generate(request(), { signal: signal() }))).toBeInstanceOf(RateLimitedError);
        const paused = await rejectionOf(studio.generate(request(), { signal: signal() }));
        expect(paused).toBeInstanceOf(ProviderWaitError);
        expect((paused as unknown as ProviderWaitError).until.getTime()).toBeGreaterThan(Date.now() + 15_000);
        expect(fake.requests).toHaveLength(1);
        // A rebuild (config reload) keeps the pause.
        registry.build(config, captureLog().log);
        expect(await rejectionOf(registry.get('studio').generate(request(), { signal: signal() }))).toBeInstanceOf(ProviderWaitError);
        expect(fake.requests).toHaveLength(1);
        expect(registry.get('local').type).toBe('local');
      } finally {
        await fake.stop();
      }
    });

    it('counts an OpenAI generation from its send (+ the arrival bound), an edit and a custom type until answered', async () => {
      const fake = await new FakeOpenAI().start();
      try {
        const limitState = createMemoryLimitStateStore();
        const registry = createProviderRegistry(undefined, { limitState });
        const scripted = scriptedProvider();
        registry.registerType({ type: 'acme', optionsSchema: z.object({}).strict(), create: () => scripted.provider });
        const config = pluginConfigSchema.parse({
          providers: {
            studio: { type: 'openai', apiKey: fake.apiKey, baseUrl: `${fake.url}/v1`, limits: { requestsPerMinute: 100 } },
            house: { type: 'acme', limits: { requestsPerMinute: 100 } },
          },
          defaultProvider: 'studio',
        });
        registry.build(config, captureLog().log);
        const sentAt = Date.now();
        await registry.get('studio').generate({ prompt: 'x', params: { size: '1024x1024' } }, { signal: signal() });
        const [generation] = (await limitState.read('studio')).state.calls;
        expect(generation.countsUntil).toBeGreaterThanOrEqual(sentAt + 1000 + 60_000);
        expect(generation.countsUntil).toBeLessThanOrEqual(Date.now() + 1000 + 60_000);
        expect(generation.until).toBeUndefined();

        const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
        await registry.get('studio').edit({ prompt: 'x', params: {}, images: [{ data: png, mime: 'image/png', name: 'a.png' }] }, { signal: signal() });
        const edit = (await limitState.read('studio')).state.calls[1];
        expect(edit.countsUntil).toBeUndefined();
        expect(edit.until).toBeGreaterThanOrEqual(Date.now() - 1000 + 60_000);

        const custom = registry.get('house').generate(request(), { signal: signal() });
        await until(() => scripted.pending.length === 1);
        scripted.pending.shift()!.resolve(ok);
        await custom;
        const [customCall] = (await limitState.read('house')).state.calls;
        expect(customCall.countsUntil).toBeUndefined();
        expect(customCall.until).toBeDefined();
      } finally {
        await fake.stop();
      }
    });

    it('accepts limits on local and on custom provider types, and enforces them', async () => {
      const registry = createProviderRegistry();
      const scripted = scriptedProvider();
      registry.registerType({ type: 'acme', optionsSchema: z.object({}).strict(), create: () => scripted.provider });
      const config = pluginConfigSchema.parse({
        providers: { local: { type: 'local', limits: { requestsPerMinute: 1 } }, house: { type: 'acme', limits: { requestsPerMinute: 1 } } },
      });
      registry.build(config, captureLog().log);
      const house = registry.get('house');
      const first = house.generate(request(), { signal: signal() });
      await until(() => scripted.pending.length === 1);
      scripted.pending.shift()!.resolve(ok);
      await first;
      expect(await rejectionOf(house.generate(request(), { signal: signal() }))).toBeInstanceOf(ProviderWaitError);
      const local = registry.get('local');
      await local.generate({ prompt: 'x', params: {} }, { signal: signal() });
      expect(await rejectionOf(local.generate({ prompt: 'x', params: {} }, { signal: signal() }))).toBeInstanceOf(ProviderWaitError);
    });

    it('rejects invalid limits in provider options with the config path', () => {
      const registry = createProviderRegistry();
      const config = pluginConfigSchema.parse({ providers: { studio: { type: 'openai', apiKey: 'k', limits: { maxConcurrent: 0 } } } });
      expect(() => registry.build(config, captureLog().log)).toThrow(/providers\.studio\.limits\.maxConcurrent/);
      const unknownKey = pluginConfigSchema.parse({ providers: { studio: { type: 'local', limits: { perHour: 5 } } } });
      expect(() => registry.build(unknownKey, captureLog().log)).toThrow(/providers\.studio\.limits\.perHour: unknown key/);
    });
  });
});
