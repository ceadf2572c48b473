import sharp from 'sharp';
import { azureOpenAIProviderType } from '../../../server/src/providers/azure-openai';
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
} from '../../../server/src/providers/errors';
import type { ImageProvider } from '../../../server/src/providers/types';
import { createFakeAzure } from '../../fakes/fake-azure';
import type { FakeOpenAI } from '../../fakes/fake-openai';
import { blackAndWhiteMask, captureLog, pngImage, rejectionOf, signal } from './support';

describe('azure-openai provider', () => {
  let fake: FakeOpenAI;
  const logs = captureLog();
  const build = (options: Record<string, unknown>) =>
    azureOpenAIProviderType.create({ name: 'azure', log: logs.log, options: azureOpenAIProviderType.optionsSchema.parse({ apiKey: fake.apiKey, deployment: 'image-deploy', ...options }) });
  const classic = () => build({ endpoint: fake.url });
  const v1 = () => build({ baseUrl: `${fake.url}/openai/v1/` });

  beforeEach(async () => {
    fake = await createFakeAzure().start();
  });
  afterEach(() => fake.stop());

  describe('optionsSchema', () => {
    it.each([
      [{ deployment: 'd' }, false],
      [{ deployment: 'd', endpoint: 'https://r.openai.azure.com', baseUrl: 'https://r.openai.azure.com/openai/v1/' }, false],
      [{ deployment: 'd', endpoint: 'https://r.openai.azure.com' }, true],
      [{ deployment: 'd', baseUrl: 'https://r.openai.azure.com/openai/v1/' }, true],
      [{ deployment: 'bad/name', endpoint: 'https://r.openai.azure.com' }, false],
    ])('accepts %j: %s', (options, valid) => {
      expect(azureOpenAIProviderType.optionsSchema.safeParse(options).success).toBe(valid);
    });
  });

  describe('generate', () => {
    it('calls the classic deployment URL with api-version and the api-key header, without model in the body', async () => {
      const result = await classic().generate({ prompt: 'lighthouse', params: { size: '1024x1536', quality: 'medium' } }, { signal: signal() });
      const sent = fake.requests[0];
      expect(sent.path).toBe('/openai/deployments/image-deploy/images/generations');
      expect(sent.query).toEqual({ 'api-version': '2025-04-01-preview' });
      expect(sent.headers['api-key']).toBe('<redacted>');
      expect(sent.headers.authorization).toBeUndefined();
      expect(sent.json).toEqual({ prompt: 'lighthouse', size: '1024x1536', quality: 'medium' });
      const metadata = await sharp(result.images[0].data).metadata();
      expect([metadata.width, metadata.height]).toEqual([1024, 1536]);
      expect(result.costUsd).toBeCloseTo(0.041, 6);
    });

    it('calls the v1 URL with the deployment as model', async () => {
      await v1().generate({ prompt: 'lighthouse', params: {} }, { signal: signal() });
      expect(fake.requests[0].path).toBe('/openai/v1/images/generations');
      expect(fake.requests[0].json).toMatchObject({ model: 'image-deploy' });
    });

    it('treats Azure rate-limit headers of -1 as unknown', async () => {
      fake.rateLimit.remainingRequests = -1;
      const result = await classic().generate({ prompt: 'x', params: {} }, { signal: signal() });
      expect(result.rateLimit?.requests?.remaining).toBeUndefined();
    });
  });

  describe('edit', () => {
    it.each([['classic', classic], ['v1', v1]] as const)('sends a masked multipart edit (%s form)', async (_form, make) => {
      const images = [{ data: await pngImage(512, 512), mime: 'image/png' }];
      const result = await make().edit({ prompt: 'sky', params: {}, images, mask: { data: await blackAndWhiteMask(512, 512), mime: 'image/png' } }, { signal: signal() });
      expect(fake.requests[0].path).toMatch(/images\/edits$/);
      expect(fake.requests[0].parts?.find((part) => part.name === 'mask')?.image).toMatchObject({ hasAlpha: true, usesAlpha: true });
      expect(result.images[0].width).toBe(512);
    });
  });

  describe('faults', () => {
    it.each([
      [{ name: 'rate_limit', retryAfterSeconds: 6 }, RateLimitedError, true],
      [{ name: 'overloaded', retryAfterMs: 800 }, OverloadedError, true],
      [{ name: 'moderation_blocked' }, ModerationBlockedError, false],
      [{ name: 'bad_key' }, AuthenticationError, false],
      [{ name: 'org_verification' }, PermissionDeniedError, false],
      [{ name: 'server_error' }, ServerError, true],
      [{ name: 'insufficient_quota' }, QuotaExceededError, false],
      [{ name: 'model_not_found' }, ModelNotFoundError, false],
      [{ name: 'malformed_json' }, MalformedResponseError, true],
      [{ name: 'truncated_body' }, MalformedResponseError, true],
    ] as const)('maps %j to %p after one request', async (fault, errorClass, retryable) => {
      fake.inject({ ...fault });
      const error = await rejectionOf(classic().generate({ prompt: 'x', params: {} }, { signal: signal() }));
      expect(error).toBeInstanceOf(errorClass);
      expect(isRetryable(error)).toBe(retryable);
      expect(error.message).toMatch(/Azure OpenAI/);
      expect(fake.requests).toHaveLength(1);
    });

    it('reports an unknown deployment as ModelNotFoundError', async () => {
      const provider = build({ endpoint: fake.url, deployment: 'missing-deploy' });
      expect(await rejectionOf(provider.generate({ prompt: 'x', params: {} }, { signal: signal() }))).toBeInstanceOf(ModelNotFoundError);
    });
  });

  describe('describe', () => {
    it('reports a missing key', () => {
      const provider: ImageProvider = build({ endpoint: fake.url, apiKey: undefined });
      expect(provider.describe()).toEqual({ configured: false, problem: 'API key missing' });
    });
  });
});
