import { pluginConfigSchema } from '../../../server/src/config/schema';
import { AbortedError, OverloadedError, RateLimitedError, ServerError } from '../../../server/src/providers/errors';
import { createProviderLimiter, withLimits } from '../../../server/src/providers/limits';
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

describe('provider limits', () => {
  describe('maxConcurrent', () => {
    it('runs at most maxConcurrent calls at once and starts the next when one finishes', async () => {
      const scripted = scriptedProvider();
      const limited = withLimits(scripted.provider, createProviderLimiter('p', { maxConcurrent: 2 }));
      const results = [1, 2, 3].map(() => limited.generate(request(), { signal: signal() }));
      await until(() => scripted.pending.length === 2);
      expect(scripted.calls).toHaveLength(2);
      scripted.pending.shift()!.resolve(ok);
      await until(() => scripted.calls.length === 3);
      scripted.pending.splice(0).forEach((entry) => entry.resolve(ok));
      await Promise.all(results);
      expect(scripted.maxRunning()).toBe(2);
    });

    it('rejects a call waiting for a slot with AbortedError when its signal aborts', async () => {
      const scripted = scriptedProvider();
      const limited = withLimits(scripted.provider, createProviderLimiter('p', { maxConcurrent: 1 }));
      const first = limited.generate(request(), { signal: signal() });
      const controller = new AbortController();
      const waiting = limited.generate(request(), { signal: controller.signal });
      await until(() => scripted.calls.length === 1);
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
    it('holds the request that exceeds requestsPerMinute until the window frees up', async () => {
      const scripted = scriptedProvider();
      const limited = withLimits(scripted.provider, createProviderLimiter('p', { requestsPerMinute: 2 }, { windowMs: 250 }));
      const started = Date.now();
      const results = [1, 2, 3].map(() => limited.generate(request(), { signal: signal() }));
      await until(() => scripted.calls.length === 2);
      scripted.pending.splice(0).forEach((entry) => entry.resolve(ok));
      await until(() => scripted.calls.length === 3);
      expect(scripted.calls[2] - started).toBeGreaterThanOrEqual(200);
      scripted.pending.splice(0).forEach((entry) => entry.resolve(ok));
      await Promise.all(results);
    });

    it('counts images (params.n) against imagesPerMinute', async () => {
      const scripted = scriptedProvider();
      const limited = withLimits(scripted.provider, createProviderLimiter('p', { imagesPerMinute: 4 }, { windowMs: 250 }));
      const first = limited.generate(request(3), { signal: signal() });
      const second = limited.generate(request(2), { signal: signal() });
      await until(() => scripted.calls.length === 1);
      expect(scripted.calls).toHaveLength(1);
      await until(() => scripted.calls.length === 2);
      expect(scripted.calls[1] - scripted.calls[0]).toBeGreaterThanOrEqual(200);
      scripted.pending.splice(0).forEach((entry) => entry.resolve(ok));
      await Promise.all([first, second]);
    });

    it('rejects a call waiting for rate budget with AbortedError when its signal aborts', async () => {
      const scripted = scriptedProvider();
      const limited = withLimits(scripted.provider, createProviderLimiter('p', { requestsPerMinute: 1 }));
      const first = limited.generate(request(), { signal: signal() });
      const controller = new AbortController();
      const waiting = limited.generate(request(), { signal: controller.signal });
      await until(() => scripted.calls.length === 1);
      controller.abort();
      expect(await rejectionOf(waiting)).toBeInstanceOf(AbortedError);
      scripted.pending.shift()!.resolve(ok);
      await first;
    });
  });

  describe('pause', () => {
    it.each([
      ['RateLimitedError with retryAfterMs', true, new RateLimitedError('slow down', { retryAfterMs: 5000 })],
      ['OverloadedError with retryAfterMs', true, new OverloadedError('busy', { retryAfterMs: 5000 })],
      ['RateLimitedError without retryAfterMs', false, new RateLimitedError('slow down')],
      ['ServerError', false, new ServerError('oops', { retryAfterMs: 5000 })],
    ])('after a %s, pauses the provider: %s', async (_case, pauses, failure) => {
      let clock = 1_000_000;
      const scripted = scriptedProvider();
      const limited = withLimits(scripted.provider, createProviderLimiter('studio', {}, { now: () => clock }));
      const first = limited.generate(request(), { signal: signal() });
      await until(() => scripted.pending.length === 1);
      scripted.pending.shift()!.reject(failure);
      expect(await rejectionOf(first)).toBe(failure);

      clock += 1000;
      const second = limited.generate(request(), { signal: signal() });
      if (pauses) {
        const error = await rejectionOf(second);
        expect(error).toBeInstanceOf(RateLimitedError);
        expect(error.retryAfterMs).toBe(4000);
        expect(error.message).toMatch(/studio is pausing/);
        expect(scripted.calls).toHaveLength(1);
        clock += 4001;
        const third = limited.generate(request(), { signal: signal() });
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
      const limiter = createProviderLimiter('p', {}, { now: () => clock });
      const limited = withLimits(scripted.provider, limiter);
      const first = limited.generate(request(), { signal: signal() });
      await until(() => scripted.pending.length === 1);
      scripted.pending.shift()!.resolve({ images: [], rateLimit: { requests: { limit: 5, remaining: 0, resetMs: 1500 } } });
      await first;
      expect(limiter.pausedForMs()).toBe(1500);
      expect((await rejectionOf(limited.generate(request(), { signal: signal() }))).retryAfterMs).toBe(1500);
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
        expect(paused).toBeInstanceOf(RateLimitedError);
        expect(paused.providerCode).toBe('paused');
        expect(paused.retryAfterMs).toBeGreaterThan(15_000);
        expect(fake.requests).toHaveLength(1);
        // A rebuild (config reload) keeps the pause.
        registry.build(config, captureLog().log);
        expect(await rejectionOf(registry.get('studio').generate(request(), { signal: signal() }))).toBeInstanceOf(RateLimitedError);
        expect(fake.requests).toHaveLength(1);
        expect(registry.get('local').type).toBe('local');
      } finally {
        await fake.stop();
      }
    });

    it('rejects invalid limits in provider options with the config path', () => {
      const registry = createProviderRegistry();
      const config = pluginConfigSchema.parse({ providers: { studio: { type: 'openai', apiKey: 'k', limits: { maxConcurrent: 0 } } } });
      expect(() => registry.build(config, captureLog().log)).toThrow(/providers\.studio\.limits\.maxConcurrent/);
    });
  });
});
