import sharp from 'sharp';
import {
  AbortedError,
  AuthenticationError,
  InvalidRequestError,
  isRetryable,
  MalformedResponseError,
  ModelNotFoundError,
  ModerationBlockedError,
  OverloadedError,
  QuotaExceededError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  UnsupportedOperationError,
} from '../../../server/src/providers/errors';
import { kieProviderType } from '../../../server/src/providers/kie';
import { FakeKie, kieImageSize } from '../../fakes/fake-kie';
import { captureLog, pngImage, rejectionOf, signal } from './support';

describe('kie provider', () => {
  let fake: FakeKie;
  const logs = captureLog();
  const build = (options: Record<string, unknown> = {}) =>
    kieProviderType.create({
      name: 'kie',
      log: logs.log,
      options: kieProviderType.optionsSchema.parse({
        apiKey: fake.apiKey,
        baseUrl: fake.url,
        pollIntervalMs: 5,
        maxPollIntervalMs: 20,
        downloadHosts: ['127.0.0.1'],
        downloadAllowHttp: true,
        downloadAllowLoopback: true,
        ...options,
      }),
    });

  beforeEach(async () => {
    fake = await new FakeKie().start();
  });
  afterEach(() => fake.stop());

  describe('generate', () => {
    it('creates one task, polls until success and downloads the result', async () => {
      fake.pollsUntilDone = 3;
      const result = await build().generate({ prompt: 'a fox', params: { aspect_ratio: '16:9', resolution: '2K' } }, { signal: signal() });
      expect(fake.requestsTo('createTask')).toHaveLength(1);
      expect(fake.requestsTo('createTask')[0].json).toEqual({ model: 'gpt-image-2-text-to-image', input: { prompt: 'a fox', aspect_ratio: '16:9', resolution: '2K' } });
      expect(fake.requestsTo('recordInfo')).toHaveLength(3);
      expect(fake.requestsTo('createTask')[0].headers.authorization).toBe('<redacted>');
      const expected = kieImageSize('16:9', '2K');
      const metadata = await sharp(result.images[0].data).metadata();
      expect([metadata.width, metadata.height]).toEqual([expected.width, expected.height]);
      expect(result).toMatchObject({ requestId: 'task_fake_1', model: 'gpt-image-2-text-to-image', costUsd: 0.05 });
    });

    it('sends the configured callBackUrl', async () => {
      await build({ callBackUrl: 'https://cms.example.com/ai-assets/kie-callback' }).generate({ prompt: 'x', params: {} }, { signal: signal() });
      expect(fake.requestsTo('createTask')[0].json).toMatchObject({ callBackUrl: 'https://cms.example.com/ai-assets/kie-callback' });
    });

    it('refuses result URLs outside downloadHosts', async () => {
      const error = await rejectionOf(build({ downloadHosts: ['*.aiquickdraw.com'] }).generate({ prompt: 'x', params: {} }, { signal: signal() }));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.providerCode).toBe('download_blocked_host');
      expect(fake.requestsTo('/files/')).toHaveLength(0);
    });
  });

  describe('errors in HTTP 200 bodies', () => {
    it.each([
      [401, AuthenticationError, false],
      [402, QuotaExceededError, false],
      [404, ModelNotFoundError, false],
      [422, InvalidRequestError, false],
      [429, RateLimitedError, true],
      [433, QuotaExceededError, false],
      [455, OverloadedError, true],
      [500, ServerError, true],
      [501, ServerError, true],
      [505, UnsupportedOperationError, false],
    ])('maps createTask code %i to %p (retryable %s) without repeating it', async (code, errorClass, retryable) => {
      fake.inject({ name: 'code', code, path: 'createTask' });
      const error = await rejectionOf(build().generate({ prompt: 'x', params: {} }, { signal: signal() }));
      expect(error).toBeInstanceOf(errorClass);
      expect(isRetryable(error)).toBe(retryable);
      expect(error.providerCode).toBe(String(code));
      expect(fake.requestsTo('createTask')).toHaveLength(1);
      expect(fake.requestsTo('recordInfo')).toHaveLength(0);
    });

    it('rejects a wrong key with AuthenticationError', async () => {
      fake.apiKey = 'another-key';
      expect(await rejectionOf(build({ apiKey: 'kie-wrong-key-123456' }).generate({ prompt: 'x', params: {} }, { signal: signal() }))).toBeInstanceOf(AuthenticationError);
    });

    it('maps an HTTP-level 502 to ServerError', async () => {
      fake.inject({ name: 'http_status', status: 502, path: 'createTask' });
      expect(await rejectionOf(build().generate({ prompt: 'x', params: {} }, { signal: signal() }))).toBeInstanceOf(ServerError);
    });

    it('maps a malformed createTask answer to MalformedResponseError', async () => {
      fake.inject({ name: 'malformed_json', path: 'createTask' });
      expect(await rejectionOf(build().generate({ prompt: 'x', params: {} }, { signal: signal() }))).toBeInstanceOf(MalformedResponseError);
    });
  });

  describe('polling', () => {
    it.each([
      [{ failCode: '500', failMsg: 'Internal error' }, ServerError, true],
      [{ failCode: '400', failMsg: 'Your prompt was flagged by the content policy' }, ModerationBlockedError, false],
      [{ failCode: '', failMsg: 'Something went wrong' }, ServerError, true],
      [{ failCode: '422', failMsg: 'image could not be read' }, InvalidRequestError, false],
    ])('maps a failed task %j to %p', async (fail, errorClass, retryable) => {
      fake.inject({ name: 'fail_task', path: 'createTask', ...fail });
      const error = await rejectionOf(build().generate({ prompt: 'x', params: {} }, { signal: signal() }));
      expect(error).toBeInstanceOf(errorClass);
      expect(isRetryable(error)).toBe(retryable);
      expect(error.requestId).toBe('task_fake_1');
    });

    it('keeps polling through a transient poll failure without creating a second task', async () => {
      fake.pollsUntilDone = 2;
      fake.inject({ name: 'code', code: 500, path: 'recordInfo' });
      fake.inject({ name: 'truncated_body', path: 'recordInfo' });
      const result = await build().generate({ prompt: 'x', params: {} }, { signal: signal() });
      expect(result.images).toHaveLength(1);
      expect(fake.requestsTo('createTask')).toHaveLength(1);
      expect(fake.requestsTo('recordInfo')).toHaveLength(4);
    });

    it('gives up after repeated poll failures', async () => {
      fake.inject({ name: 'code', code: 500, path: 'recordInfo' }, { times: 10 });
      expect(await rejectionOf(build().generate({ prompt: 'x', params: {} }, { signal: signal() }))).toBeInstanceOf(ServerError);
      expect(fake.requestsTo('recordInfo')).toHaveLength(4);
    });

    it('fails with TimeoutError when the task outlives taskTimeoutMs', async () => {
      fake.pollsUntilDone = 1_000_000;
      const error = await rejectionOf(build({ taskTimeoutMs: 200 }).generate({ prompt: 'x', params: {} }, { signal: signal() }));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error.providerCode).toBe('task_timeout');
      expect(fake.requestsTo('createTask')).toHaveLength(1);
    });

    it('fails with TimeoutError when a poll hangs past the task deadline', async () => {
      fake.inject({ name: 'hang', path: 'recordInfo' }, { times: 100 });
      expect(await rejectionOf(build({ taskTimeoutMs: 300 }).generate({ prompt: 'x', params: {} }, { signal: signal() }))).toBeInstanceOf(TimeoutError);
    });

    it('stops polling when the signal aborts', async () => {
      fake.pollsUntilDone = 1_000_000;
      const controller = new AbortController();
      const attempt = build().generate({ prompt: 'x', params: {} }, { signal: controller.signal });
      await fake.waitForRequests('recordInfo', 2);
      controller.abort();
      expect(await rejectionOf(attempt)).toBeInstanceOf(AbortedError);
      const polls = fake.requestsTo('recordInfo').length;
      await new Promise((resolve) => setTimeout(resolve, 60)); // a short window in which a leaked poll loop would show up
      expect(fake.requestsTo('recordInfo')).toHaveLength(polls);
    });
  });

  describe('edit', () => {
    it('is unsupported (and says so) without publicUrlFor', async () => {
      const provider = build();
      expect(provider.capabilities.edit).toBe(false);
      expect(provider.describe().problem).toMatch(/publicUrlFor/);
      const error = await rejectionOf(provider.edit({ prompt: 'x', params: {}, images: [{ data: await pngImage(64, 64), mime: 'image/png' }] }, { signal: signal() }));
      expect(error).toBeInstanceOf(UnsupportedOperationError);
      expect(fake.requests).toHaveLength(0);
    });

    it('sends image-to-image with the URLs from publicUrlFor', async () => {
      const publicUrlFor = jest.fn(async () => 'https://cdn.example.com/source.png');
      const provider = build({ publicUrlFor });
      expect(provider.capabilities.edit).toBe(true);
      await provider.edit({ prompt: 'hat', params: {}, images: [{ data: await pngImage(64, 64), mime: 'image/png' }] }, { signal: signal() });
      expect(fake.requestsTo('createTask')[0].json).toMatchObject({ model: 'gpt-image-2-image-to-image', input: { input_urls: ['https://cdn.example.com/source.png'] } });
    });

    it('refuses a mask, which kie.ai cannot use', async () => {
      const provider = build({ publicUrlFor: async () => 'https://cdn.example.com/a.png' });
      const image = { data: await pngImage(64, 64), mime: 'image/png' };
      expect(await rejectionOf(provider.edit({ prompt: 'x', params: {}, images: [image], mask: image }, { signal: signal() }))).toBeInstanceOf(UnsupportedOperationError);
    });
  });

  describe('describe', () => {
    it('reports a missing key and fails without network', async () => {
      const provider = build({ apiKey: undefined });
      expect(provider.describe()).toEqual({ configured: false, problem: 'API key missing' });
      expect(await rejectionOf(provider.generate({ prompt: 'x', params: {} }, { signal: signal() }))).toBeInstanceOf(AuthenticationError);
      expect(fake.requests).toHaveLength(0);
    });
  });
});
