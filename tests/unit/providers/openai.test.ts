import sharp from 'sharp';
import {
  AuthenticationError,
  isRetryable,
  MalformedResponseError,
  ModelNotFoundError,
  ModerationBlockedError,
  OverloadedError,
  PermissionDeniedError,
  QuotaExceededError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  InvalidRequestError,
} from '../../../server/src/providers/errors';
import { openAIProviderType } from '../../../server/src/providers/openai';
import type { ImageProvider } from '../../../server/src/providers/types';
import { FakeOpenAI, type OpenAIFault } from '../../fakes/fake-openai';
import { blackAndWhiteMask, captureLog, pngImage, rejectionOf, signal } from './support';

describe('openai provider', () => {
  let fake: FakeOpenAI;
  let provider: ImageProvider;
  const logs = captureLog();

  const build = (options: Record<string, unknown> = {}) =>
    openAIProviderType.create({ name: 'studio', log: logs.log, options: openAIProviderType.optionsSchema.parse({ apiKey: fake.apiKey, baseUrl: `${fake.url}/v1`, ...options }) });

  beforeEach(async () => {
    fake = await new FakeOpenAI().start();
    provider = build();
  });
  afterEach(() => fake.stop());

  describe('generate', () => {
    it('sends JSON with the model and without response_format, and decodes the images', async () => {
      const result = await provider.generate({ prompt: 'a red fox', params: { size: '1536x1024', quality: 'low', n: 2 } }, { signal: signal() });
      expect(fake.requests).toHaveLength(1);
      const sent = fake.requests[0];
      expect(sent.path).toBe('/v1/images/generations');
      expect(sent.json).toEqual({ model: 'gpt-image-2', prompt: 'a red fox', size: '1536x1024', quality: 'low', n: 2 });
      expect(sent.headers.authorization).toBe('<redacted>');
      expect(result.images).toHaveLength(2);
      for (const image of result.images) {
        const metadata = await sharp(image.data).metadata();
        expect([metadata.width, metadata.height, metadata.format]).toEqual([1536, 1024, 'png']);
        expect([image.width, image.height, image.mime]).toEqual([1536, 1024, 'image/png']);
      }
      expect(result.requestId).toBe('req_fake_1');
      expect(result.model).toBe('gpt-image-2');
      expect(result.usage).toMatchObject({ inputTokens: 50, outputTokens: 2000, totalTokens: 2050 });
      expect(result.costUsd).toBeCloseTo(0.01, 6); // 2 x 0.005 (gpt-image-2, landscape, low)
      expect(result.rateLimit?.requests).toEqual({ limit: 50, remaining: 49, resetMs: 1200 });
    });

    it('accepts a flexible gpt-image-2 size and prices an unlisted size from token usage', async () => {
      const result = await provider.generate({ prompt: 'wide banner', params: { size: '2048x1152', quality: 'high' } }, { signal: signal() });
      expect([result.images[0].width, result.images[0].height]).toEqual([2048, 1152]);
      expect(result.costUsd).toBeCloseTo((50 * 5 + 1000 * 30) / 1_000_000, 6);
    });

    it('sends organization and project headers when configured', async () => {
      provider = build({ organization: 'org-1', project: 'proj-1' });
      await provider.generate({ prompt: 'x', params: {} }, { signal: signal() });
      expect(fake.requests[0].headers).toMatchObject({ 'openai-organization': 'org-1', 'openai-project': 'proj-1' });
    });

    it('returns jpeg bytes when output_format is jpeg', async () => {
      const result = await provider.generate({ prompt: 'x', params: { output_format: 'jpeg', output_compression: 70 } }, { signal: signal() });
      expect(result.images[0].mime).toBe('image/jpeg');
      expect((await sharp(result.images[0].data).metadata()).format).toBe('jpeg');
    });
  });

  describe('edit', () => {
    it('sends one source as the multipart field image, without the JSON-only moderation field', async () => {
      const params = { quality: 'low', moderation: 'low' };
      const result = await provider.edit({ prompt: 'add a hat', params, images: [{ data: await pngImage(640, 480), mime: 'image/png' }] }, { signal: signal() });
      const parts = fake.requests[0].parts ?? [];
      expect(fake.requests[0].path).toBe('/v1/images/edits');
      expect(parts.map((part) => part.name)).toEqual(['model', 'prompt', 'quality', 'image']);
      expect(parts.find((part) => part.name === 'model')?.value).toBe('gpt-image-2');
      expect([result.images[0].width, result.images[0].height]).toEqual([640, 480]);
    });

    it('sends several sources as repeated image[] parts', async () => {
      const images = [{ data: await pngImage(512, 512), mime: 'image/png' }, { data: await pngImage(256, 256), mime: 'image/png' }];
      await provider.edit({ prompt: 'combine', params: {}, images }, { signal: signal() });
      expect((fake.requests[0].parts ?? []).filter((part) => part.name === 'image[]')).toHaveLength(2);
    });

    it('converts a black-and-white mask into a PNG with alpha at the source size', async () => {
      const images = [{ data: await pngImage(800, 600), mime: 'image/png' }];
      await provider.edit({ prompt: 'fill', params: {}, images, mask: { data: await blackAndWhiteMask(400, 300), mime: 'image/png' } }, { signal: signal() });
      const mask = fake.requests[0].parts?.find((part) => part.name === 'mask');
      expect(mask?.image).toMatchObject({ format: 'png', width: 800, height: 600, hasAlpha: true, usesAlpha: true });
    });

    it('keeps a mask that already has transparency and converts a non-PNG source', async () => {
      const jpeg = await sharp(await pngImage(512, 512)).jpeg().toBuffer();
      const gif = await sharp(await pngImage(512, 512)).gif().toBuffer();
      await provider.edit(
        { prompt: 'fill', params: {}, images: [{ data: gif, mime: 'image/gif' }], mask: { data: await pngImage(512, 512, { alpha: true }), mime: 'image/png' } },
        { signal: signal() }
      );
      expect(fake.requests[0].parts?.find((part) => part.name === 'image')?.image?.format).toBe('png');
      await provider.edit({ prompt: 'fill', params: {}, images: [{ data: jpeg, mime: 'image/jpeg' }] }, { signal: signal() });
      expect(fake.requests[1].parts?.find((part) => part.name === 'image')?.image?.format).toBe('jpeg');
    });

    it('rejects an unreadable source image without calling the API', async () => {
      const error = await rejectionOf(provider.edit({ prompt: 'x', params: {}, images: [{ data: Buffer.from('not an image'), mime: 'image/png' }] }, { signal: signal() }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('faults', () => {
    it.each<[OpenAIFault | { name: OpenAIFault; [key: string]: unknown }, new (...args: never[]) => Error, boolean, number | undefined]>([
      [{ name: 'rate_limit', retryAfterSeconds: 7 }, RateLimitedError, true, 7000],
      [{ name: 'rate_limit', retryAfterSeconds: 7, retryAfterMs: 1500 }, RateLimitedError, true, 1500],
      ['server_error', ServerError, true, undefined],
      [{ name: 'overloaded', retryAfterSeconds: 3 }, OverloadedError, true, 3000],
      ['moderation_blocked', ModerationBlockedError, false, undefined],
      ['insufficient_quota', QuotaExceededError, false, undefined],
      ['org_verification', PermissionDeniedError, false, undefined],
      ['bad_key', AuthenticationError, false, undefined],
      ['model_not_found', ModelNotFoundError, false, undefined],
      ['malformed_json', MalformedResponseError, true, undefined],
      ['truncated_body', MalformedResponseError, true, undefined],
    ])('maps %j to %p (retryable %s, retryAfterMs %s) after exactly one request', async (fault, errorClass, retryable, retryAfterMs) => {
      fake.inject(fault);
      const error = await rejectionOf(provider.generate({ prompt: 'x', params: {} }, { signal: signal() }));
      expect(error).toBeInstanceOf(errorClass);
      expect(isRetryable(error)).toBe(retryable);
      expect(error.retryAfterMs).toBe(retryAfterMs);
      expect(fake.requests).toHaveLength(1);
    });

    it('reads a retry-after HTTP date as a delay', async () => {
      fake.inject({ name: 'rate_limit_date', retryAfterSeconds: 30 });
      const error = await rejectionOf(provider.generate({ prompt: 'x', params: {} }, { signal: signal() }));
      expect(error.retryAfterMs).toBeGreaterThan(25_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    });

    it('keeps the request id and moderation details on a moderation block', async () => {
      fake.inject({ name: 'moderation_blocked', stage: 'output' });
      const error = (await rejectionOf(provider.generate({ prompt: 'x', params: {} }, { signal: signal() }))) as unknown as ModerationBlockedError;
      expect(error.moderation).toEqual({ stage: 'output', categories: ['violence'] });
      expect(error.requestId).toBe('req_fake_1');
      expect(error.message).toMatch(/generated image/);
    });

    it('explains organization verification in a sentence an editor can act on', async () => {
      fake.inject('org_verification');
      const error = await rejectionOf(provider.generate({ prompt: 'x', params: {} }, { signal: signal() }));
      expect(error.message).toMatch(/organization must be verified/);
    });

    it('maps an invalid_mask_image_format answer to a non-retryable InvalidRequestError', async () => {
      fake.inject('invalid_mask');
      const images = [{ data: await pngImage(512, 512), mime: 'image/png' }];
      const error = await rejectionOf(provider.edit({ prompt: 'x', params: {}, images, mask: { data: await pngImage(512, 512, { alpha: true }), mime: 'image/png' } }, { signal: signal() }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.providerCode).toBe('invalid_mask_image_format');
      expect(error.message).toMatch(/mask/);
      expect(isRetryable(error)).toBe(false);
    });

    it('resizes a mask of another size to the source so the API accepts it', async () => {
      const images = [{ data: await pngImage(512, 512), mime: 'image/png' }];
      const result = await provider.edit({ prompt: 'x', params: {}, images, mask: { data: await pngImage(300, 200, { alpha: true }), mime: 'image/png' } }, { signal: signal() });
      expect(result.images).toHaveLength(1);
      expect(fake.requests[0].parts?.find((part) => part.name === 'mask')?.image).toMatchObject({ width: 512, height: 512, hasAlpha: true });
    });

    it('times out on a hanging server with the configured timeoutMs', async () => {
      provider = build({ timeoutMs: 300 });
      fake.inject('hang');
      const started = Date.now();
      const error = await rejectionOf(provider.generate({ prompt: 'x', params: {} }, { signal: signal() }));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(isRetryable(error)).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(fake.requests).toHaveLength(1);
    });
  });

  describe('describe', () => {
    it('reports a missing key and fails calls with AuthenticationError without network', async () => {
      provider = build({ apiKey: '' });
      expect(provider.describe()).toEqual({ configured: false, problem: 'API key missing' });
      const error = await rejectionOf(provider.generate({ prompt: 'x', params: {} }, { signal: signal() }));
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(fake.requests).toHaveLength(0);
    });
  });
});
