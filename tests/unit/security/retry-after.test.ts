/**
 * `retry-after: 100000000000000000000` once threw "Invalid time value" and paused a provider for the life of
 * the process. Hints are parsed defensively and capped by `queue.maxRetryAfterMs`.
 */
import { parsePluginConfig } from '../../../server/src/config/schema';
import { parseDurationMs, parseRateLimitHeaders, parseRetryAfterMs } from '../../../server/src/http/headers';
import { RateLimitedError } from '../../../server/src/providers/errors';
import { createProviderRegistry } from '../../../server/src/providers/registry';
import { decideFailure } from '../../../server/src/queue/failure';
import { FakeOpenAI } from '../../fakes/fake-openai';
import { rejectionOf, signal } from '../providers/support';
import { silentLog } from '../../fixtures/fake-strapi';

const NOW = Date.parse('2026-11-22T00:00:00Z');

describe('http/headers hostile values', () => {
  it.each([
    ['seconds', { 'retry-after': '30' }, 30_000],
    ['fractional seconds', { 'retry-after': '1.5' }, 1500],
    ['milliseconds first', { 'retry-after-ms': '250', 'retry-after': '30' }, 250],
    ['an HTTP date', { 'retry-after': 'Sun, 22 Nov 2026 00:01:00 GMT' }, 60_000],
    ['an HTTP date in the past', { 'retry-after': 'Sat, 21 Nov 2026 00:00:00 GMT' }, 0],
    ['garbage ms falling back to seconds', { 'retry-after-ms': 'soon', 'retry-after': '2' }, 2000],
    ['1e20 written out', { 'retry-after': '100000000000000000000' }, undefined],
    ['1e20 in ms', { 'retry-after-ms': '100000000000000000000' }, undefined],
    ['scientific notation', { 'retry-after': '1e20' }, undefined],
    ['Infinity', { 'retry-after': 'Infinity' }, undefined],
    ['NaN', { 'retry-after': 'NaN' }, undefined],
    ['a negative number', { 'retry-after': '-1' }, undefined],
    ['hex', { 'retry-after': '0x10' }, undefined],
    ['a number with junk', { 'retry-after': '12abc' }, undefined],
    ['more than a day', { 'retry-after': '86401' }, undefined],
    ['a date in year 275760', { 'retry-after': 'Sat, 13 Sep 275760 00:00:00 GMT' }, undefined],
    ['an empty value', { 'retry-after': '' }, undefined],
    ['a megabyte of digits', { 'retry-after': '9'.repeat(1_000_000) }, undefined],
  ])('reads %s', (_label, headers, expected) => {
    expect(parseRetryAfterMs(headers, NOW)).toBe(expected);
  });

  it.each([
    ['99999999999h', undefined],
    ['1e20s', undefined],
    ['25h', undefined],
    ['6m0s', 360_000],
    ['-1s', undefined],
  ])('reads the reset duration %s', (value, expected) => {
    expect(parseDurationMs(value)).toBe(expected);
  });

  it('drops an absurd window reset but keeps its counts', () => {
    expect(parseRateLimitHeaders({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '100000000000000000000' })).toEqual({ requests: { remaining: 0 } });
  });
});

describe('retry hints through the provider registry', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
  });
  afterAll(() => fake.stop());

  function build(maxRetryAfterMs?: number) {
    const registry = createProviderRegistry();
    registry.build(
      parsePluginConfig({ providers: { studio: { type: 'openai', apiKey: fake.apiKey, baseUrl: `${fake.url}/v1` } }, defaultProvider: 'studio', queue: { maxRetryAfterMs } }),
      silentLog
    );
    return registry.get('studio');
  }
  const generate = (provider: ReturnType<typeof build>) => provider.generate({ prompt: 'x', params: {} }, { signal: signal() });
  const policy = { baseMs: 1000, maxMs: 60_000 };

  it('turns retry-after: 1e20 into a plain retryable error: no pause, a date that can be written', async () => {
    const provider = build();
    fake.inject({ name: 'rate_limit', retryAfterSeconds: 1e20 as number });
    const error = await rejectionOf(generate(provider));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterMs).toBeUndefined();
    const decision = decideFailure(error, 1, 5, policy, new Date(NOW), () => 0.5);
    expect(decision.retryAt?.getTime()).toBe(NOW + 750);
    expect(() => decision.retryAt?.toISOString()).not.toThrow();
    // The next call is sent at once: the provider was not paused.
    await expect(generate(provider)).resolves.toMatchObject({ images: [expect.anything()] });
  });

  it.each([
    ['a hint above the configured cap is dropped', 1200, 600_000, undefined],
    ['a hint within the cap is honoured', 30, 600_000, 30_000],
    ['a lower configured cap applies', 30, 10_000, undefined],
  ])('%s', async (_label, seconds, cap, expected) => {
    const provider = build(cap);
    fake.inject({ name: 'rate_limit', retryAfterSeconds: seconds });
    const error = await rejectionOf(generate(provider));
    expect(error.retryAfterMs).toBe(expected);
  });
});
