/**
 * The same behaviour tests against every provider type: what the queue and media pipeline rely on.
 * Network providers talk to their fakes over real HTTP on 127.0.0.1.
 */
import sharp from 'sharp';
import { azureOpenAIProviderType } from '../../../server/src/providers/azure-openai';
import { AbortedError } from '../../../server/src/providers/errors';
import { kieProviderType } from '../../../server/src/providers/kie';
import { localProviderType } from '../../../server/src/providers/local';
import { openAIProviderType } from '../../../server/src/providers/openai';
import type { ImageProvider, ProviderType } from '../../../server/src/providers/types';
import { createFakeAzure } from '../../fakes/fake-azure';
import { FakeKie, kieImageSize } from '../../fakes/fake-kie';
import { FakeOpenAI } from '../../fakes/fake-openai';
import { captureLog, rejectionOf } from './support';

interface Harness {
  provider: ImageProvider;
  /** Params asking for a specific size, and that size. */
  params: Record<string, unknown>;
  expected: { width: number; height: number };
  invalidParams: Array<Record<string, unknown>>;
  /** Makes the next call slow and resolves once it is in flight. */
  slowDown(): { params: Record<string, unknown>; inFlight: () => Promise<void> };
  secret?: string;
  stop(): Promise<void>;
}

const create = (type: ProviderType, options: Record<string, unknown>) =>
  type.create({ name: `conformance-${type.type}`, log: captureLog().log, options: type.optionsSchema.parse(options) });

const harnesses: Array<[string, () => Promise<Harness>]> = [
  [
    'local',
    async () => ({
      provider: create(localProviderType, {}),
      params: { size: '640x480' },
      expected: { width: 640, height: 480 },
      invalidParams: [{ size: 'big' }, { size: '8x8' }, { unknown: true }, { n: 11 }],
      slowDown: () => ({ params: { delayMs: 60_000 }, inFlight: async () => undefined }),
      stop: async () => undefined,
    }),
  ],
  [
    'openai',
    async () => {
      const fake = await new FakeOpenAI().start();
      return {
        provider: create(openAIProviderType, { apiKey: fake.apiKey, baseUrl: `${fake.url}/v1` }),
        params: { size: '1536x1024', quality: 'low' },
        expected: { width: 1536, height: 1024 },
        invalidParams: [{ size: '1000x1000' }, { n: 11 }, { response_format: 'url' }, { background: 'transparent', output_format: 'jpeg' }],
        slowDown: () => {
          fake.inject('hang');
          return { params: {}, inFlight: () => fake.waitForRequests('/images/generations') };
        },
        secret: fake.apiKey,
        stop: () => fake.stop(),
      };
    },
  ],
  [
    'azure-openai',
    async () => {
      const fake = await createFakeAzure().start();
      return {
        provider: create(azureOpenAIProviderType, { apiKey: fake.apiKey, endpoint: fake.url, deployment: 'image-deploy' }),
        params: { size: '1024x1536' },
        expected: { width: 1024, height: 1536 },
        invalidParams: [{ size: '4096x4096' }, { quality: 'ultra' }, { n: 0 }],
        slowDown: () => {
          fake.delayMs = 60_000;
          return { params: {}, inFlight: () => fake.waitForRequests('/images/generations') };
        },
        secret: fake.apiKey,
        stop: () => fake.stop(),
      };
    },
  ],
  [
    'kie',
    async () => {
      const fake = await new FakeKie().start();
      return {
        provider: create(kieProviderType, {
          apiKey: fake.apiKey,
          baseUrl: fake.url,
          pollIntervalMs: 5,
          maxPollIntervalMs: 20,
          downloadHosts: ['127.0.0.1'],
          downloadAllowHttp: true,
          downloadAllowLoopback: true,
        }),
        params: { aspect_ratio: '3:2', resolution: '1K' },
        expected: kieImageSize('3:2', '1K'),
        invalidParams: [{ resolution: '8K' }, { aspect_ratio: '5:1' }, { size: '1024x1024' }],
        slowDown: () => {
          fake.pollsUntilDone = 1_000_000;
          return { params: {}, inFlight: () => fake.waitForRequests('recordInfo') };
        },
        secret: fake.apiKey,
        stop: () => fake.stop(),
      };
    },
  ],
];

describe.each(harnesses)('provider conformance: %s', (_name, setup) => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await setup();
  });
  afterEach(() => harness.stop());

  describe('generate', () => {
    it('returns decodable image bytes of the requested size', async () => {
      const result = await harness.provider.generate({ prompt: 'a lighthouse at dusk', params: harness.params }, { signal: new AbortController().signal });
      expect(result.images.length).toBeGreaterThanOrEqual(1);
      for (const image of result.images) {
        const metadata = await sharp(image.data).metadata();
        expect({ width: metadata.width, height: metadata.height }).toEqual(harness.expected);
        expect(image.mime).toBe(`image/${metadata.format}`);
        if (image.width !== undefined) expect({ width: image.width, height: image.height }).toEqual(harness.expected);
      }
    });

    it('rejects with AbortedError when the signal aborts mid-call', async () => {
      const slow = harness.slowDown();
      const controller = new AbortController();
      const attempt = harness.provider.generate({ prompt: 'slow', params: slow.params }, { signal: controller.signal });
      await slow.inFlight();
      controller.abort();
      expect(await rejectionOf(attempt)).toBeInstanceOf(AbortedError);
    });

    it('rejects with AbortedError when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      expect(await rejectionOf(harness.provider.generate({ prompt: 'x', params: harness.params }, { signal: controller.signal }))).toBeInstanceOf(AbortedError);
    });
  });

  describe('paramsSchema', () => {
    it('accepts the params used above', () => {
      expect(harness.provider.paramsSchema.safeParse(harness.params).success).toBe(true);
    });

    it('rejects invalid params before any call', () => {
      for (const params of harness.invalidParams) expect([params, harness.provider.paramsSchema.safeParse(params).success]).toEqual([params, false]);
    });
  });

  describe('describe', () => {
    it('reports the provider configured and never contains the key', () => {
      const description = JSON.stringify({ describe: harness.provider.describe(), capabilities: harness.provider.capabilities, model: harness.provider.model });
      expect(harness.provider.describe().configured).toBe(true);
      if (harness.secret) expect(description).not.toContain(harness.secret);
      expect(harness.provider.capabilities.generate).toBe(true);
    });
  });
});
