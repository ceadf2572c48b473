/**
 * One redaction pass for every provider: answers, errors and log lines of built-in and custom providers are
 * scrubbed of the instance's secrets by the registry, whichever field the provider echoed them in.
 */
import { inspect } from 'node:util';
import { z } from 'zod';
import { parsePluginConfig } from '../../../server/src/config/schema';
import { ModerationBlockedError, RateLimitedError } from '../../../server/src/providers/errors';
import { createProviderRegistry } from '../../../server/src/providers/registry';
import type { ProviderType } from '../../../server/src/providers/types';
import { redact, redactDeep, secretsInOptions } from '../../../server/src/utils/redact';
import { FakeOpenAI } from '../../fakes/fake-openai';
import { captureLog, rejectionOf, signal } from '../providers/support';

// Not shaped like an OpenAI key, so only value-based redaction can catch it.
const KEY = 'corp-gateway-KEY-7f3a9c1e5b2d4068';

describe('utils/redact', () => {
  describe('redact', () => {
    it.each([
      ['the whole key', `key ${KEY}`],
      ['the key url-encoded inside a URL', `https://x.test/?k=${encodeURIComponent(`${KEY}/+`)}`],
      ['a long tail of the key', `…${KEY.slice(10)}`],
      ['an unknown sk- key', 'sk-proj-abcdefghijklmnop'],
      ['a bearer token', 'Authorization: Bearer abc.def.ghijklmnop'],
    ])('removes %s', (_label, text) => {
      const secrets = [KEY, `${KEY}/+`];
      expect(redact(text, secrets)).toContain('[redacted]');
      expect(redact(text, secrets)).not.toContain(KEY.slice(10));
    });

    it('leaves text alone when secrets are empty or too short to be keys', () => {
      expect(redact('a normal message about keys', ['', undefined, 'a'])).toBe('a normal message about keys');
    });
  });

  describe('redactDeep', () => {
    it('redacts nested strings and keys but keeps image bytes', () => {
      const data = Buffer.from(KEY);
      const value = redactDeep({ a: [{ b: KEY }], [KEY]: 1, data, n: 3, when: new Date(0) }, [KEY]);
      expect(JSON.stringify({ ...value, data: undefined })).not.toContain(KEY);
      expect(value.data).toBe(data);
      expect(value.n).toBe(3);
    });

    it('survives cycles', () => {
      const cyclic: Record<string, unknown> = { text: KEY };
      cyclic.self = cyclic;
      expect(() => redactDeep(cyclic, [KEY])).not.toThrow();
    });
  });

  describe('secretsInOptions', () => {
    it('finds keys by name and every header value, not ordinary settings', () => {
      expect(secretsInOptions({ apiKey: KEY, baseUrl: 'https://api.example.test', headers: { 'x-org': 'org-123456' }, nested: { webhookSecret: 'whsec-123456' }, model: 'gpt-image-2' }).sort()).toEqual(
        [KEY, 'org-123456', 'whsec-123456'].sort()
      );
    });
  });
});

/** A custom provider type that echoes its secret everywhere it can. */
const leakyType: ProviderType = {
  type: 'leaky',
  optionsSchema: z.object({ token: z.string() }).strict(),
  create: ({ name, options, log }) => ({
    name,
    type: 'leaky',
    capabilities: { generate: true, edit: false, mask: false, maxImages: 1, sizes: [], formats: ['png'], transparentBackground: false },
    paramsSchema: z.object({ mode: z.string().optional() }).strict(),
    async generate(request) {
      const token = options.token as string;
      log.warn(`calling with ${token}`);
      if (request.params.mode === 'moderation') {
        throw new ModerationBlockedError(`blocked ${token}`, { stage: token, categories: [token] }, { requestId: token, providerCode: token });
      }
      if (request.params.mode === 'throw') {
        throw new RateLimitedError(`slow down ${token}`, { requestId: `id-${token}`, providerCode: token, retryAfterMs: 1000, cause: Object.assign(new Error(`socket ${token}`), { code: token }) });
      }
      if (request.params.mode === 'plain') throw new Error(`boom ${token}`);
      return { images: [{ data: Buffer.from('png'), mime: 'image/png', revisedPrompt: `p ${token}` }], requestId: token, model: token, usage: { note: token, nested: [token] } };
    },
    edit: () => Promise.reject(new Error('no')),
    describe: () => ({ configured: false, problem: `bad token ${options.token}` }),
  }),
};

describe('providers/redaction', () => {
  const surfaces = (value: unknown) => [JSON.stringify(value), inspect(value, { depth: 10 }), String((value as Error)?.stack), (value as Error)?.message ?? ''];

  it('redacts a custom provider type: results, every error field, causes, logs and describe()', async () => {
    const registry = createProviderRegistry();
    registry.registerType(leakyType);
    const logs = captureLog();
    registry.build(parsePluginConfig({ providers: { leaky: { type: 'leaky', token: KEY } } }), logs.log);
    const provider = registry.get('leaky');

    const result = await provider.generate({ prompt: 'x', params: {} }, { signal: signal() });
    expect(result.images[0].data.toString()).toBe('png');
    const errors = await Promise.all(['throw', 'moderation', 'plain'].map((mode) => rejectionOf(provider.generate({ prompt: 'x', params: { mode } }, { signal: signal() }))));
    expect(errors[0]).toBeInstanceOf(RateLimitedError);
    expect(errors[0].retryAfterMs).toBe(1000);
    expect(errors[1]).toBeInstanceOf(ModerationBlockedError);
    for (const text of [...surfaces(result), ...errors.flatMap(surfaces), ...logs.lines, JSON.stringify(provider.describe())]) {
      expect(text).not.toContain(KEY);
    }
    expect(logs.lines.join('\n')).toContain('[redacted]');
  });

  describe('openai over HTTP', () => {
    let fake: FakeOpenAI;
    beforeAll(async () => {
      fake = await new FakeOpenAI({ apiKey: KEY }).start();
    });
    afterAll(() => fake.stop());

    it('redacts the key echoed in error.param, error.code, error.type and x-request-id', async () => {
      const logs = captureLog();
      const registry = createProviderRegistry();
      registry.build(parsePluginConfig({ providers: { studio: { type: 'openai', apiKey: KEY, baseUrl: `${fake.url}/v1` } }, defaultProvider: 'studio' }), logs.log);
      fake.inject('echo_key_fields');
      const error = await rejectionOf(registry.get('studio').generate({ prompt: 'x', params: {} }, { signal: signal() }));
      expect(error.status).toBe(400);
      for (const text of [...surfaces(error), ...logs.lines]) expect(text).not.toContain(KEY.slice(10));
    });

    it('redacts the key echoed in revised_prompt, usage and x-request-id of a successful answer', async () => {
      const logs = captureLog();
      const registry = createProviderRegistry();
      registry.build(parsePluginConfig({ providers: { studio: { type: 'openai', apiKey: KEY, baseUrl: `${fake.url}/v1` } }, defaultProvider: 'studio' }), logs.log);
      fake.inject('echo_key_success');
      const result = await registry.get('studio').generate({ prompt: 'x', params: { model: 'gpt-image-1' } }, { signal: signal() });
      expect(result.images[0].revisedPrompt).toContain('[redacted]');
      expect(result.requestId).toContain('[redacted]');
      for (const text of [...surfaces({ ...result, images: result.images.map((image) => ({ ...image, data: null })) }), ...logs.lines]) {
        expect(text).not.toContain(KEY.slice(10));
      }
    });
  });
});
