/**
 * Decompression bombs: every decode path goes through media/decode.ts and refuses an image over the pixel or
 * byte limit from its header, before decoding it.
 */
import { parsePluginConfig } from '../../../server/src/config/schema';
import { configureDecodeLimits, DEFAULT_DECODE_LIMITS, ImageRejectedError, openImage, readImageInfo } from '../../../server/src/media/decode';
import { processImage } from '../../../server/src/media/process';
import { localProviderType } from '../../../server/src/providers/local';
import { prepareMask, prepareSourceImage } from '../../../server/src/providers/openai/images';
import { createProviderRegistry } from '../../../server/src/providers/registry';
import { isRetryable } from '../../../server/src/providers/errors';
import { FakeOpenAI } from '../../fakes/fake-openai';
import { silentLog } from '../../fixtures/fake-strapi';
import { pngBomb, pngDeclaringSize } from '../../fixtures/images';
import { pngImage, rejectionOf, signal } from '../providers/support';

/** 50 MP declared in a 60-byte file: under the old 100 MP limit, far over the new one. */
const declared50Mp = () => pngDeclaringSize(10_000, 5_000);

describe('media/decode', () => {
  afterEach(() => configureDecodeLimits(DEFAULT_DECODE_LIMITS));

  describe('readImageInfo', () => {
    it('reads a normal image', async () => {
      expect(await readImageInfo(await pngImage(64, 32))).toMatchObject({ format: 'png', width: 64, height: 32, pages: 1 });
    });

    it.each([
      ['a header declaring 50 MP', declared50Mp, 'image_too_large', 'media.maxInputPixels'],
      ['a header declaring 4 GP', () => pngDeclaringSize(65_535, 65_535), 'image_too_large', 'media.maxInputPixels'],
      ['random bytes', () => Buffer.from('not an image at all'), 'invalid_image', 'could not be read'],
      ['an empty buffer', () => Buffer.alloc(0), 'invalid_image', 'empty'],
    ])('refuses %s', async (_label, bytes, code, text) => {
      const error = await rejectionOf(readImageInfo(bytes(), 'mask'));
      expect(error).toBeInstanceOf(ImageRejectedError);
      expect(error.code).toBe(code);
      expect(error.message).toContain(text);
      expect(isRetryable(error)).toBe(false);
    });

    it('counts a 16-bit RGBA image twice: memory follows bytes, not pixels', async () => {
      configureDecodeLimits({ maxInputPixels: 1_000_000 });
      const bomb = await pngBomb(800, 800); // 0.64 MP, but 16-bit RGBA = 1.28 MP of 8-bit RGBA
      expect((await rejectionOf(readImageInfo(bomb))).message).toContain('16-bit counted x2');
      await expect(readImageInfo(await pngBomb(800, 800, { bitDepth: 8 }))).resolves.toMatchObject({ width: 800 });
    });

    it('refuses input over the byte limit before sharp sees it', async () => {
      configureDecodeLimits({ maxInputBytes: 1024 * 1024 });
      const error = await rejectionOf(readImageInfo(Buffer.alloc(1024 * 1024 + 1), 'source image'));
      expect(error.message).toContain('media.maxInputBytes');
    });
  });

  describe('openImage', () => {
    it('applies the configured pixel limit to libvips too', async () => {
      const { image } = await openImage(await pngImage(100, 100));
      expect((image as unknown as { options: { input: { limitInputPixels: number } } }).options.input.limitInputPixels).toBe(DEFAULT_DECODE_LIMITS.maxInputPixels);
    });
  });

  describe('every decode path refuses a bomb', () => {
    it('the job pipeline (processImage)', async () => {
      expect((await rejectionOf(processImage(declared50Mp(), { format: 'webp', quality: 80, fit: 'cover' }))).code).toBe('image_too_large');
    });

    it('an edit source and an edit mask sent to OpenAI', async () => {
      expect((await rejectionOf(prepareSourceImage({ data: declared50Mp(), mime: 'image/png' }, 0))).code).toBe('image_too_large');
      expect((await rejectionOf(prepareMask({ data: declared50Mp(), mime: 'image/png' }, { width: 64, height: 64 }))).code).toBe('image_too_large');
    });

    it('the local provider edit (source and mask)', async () => {
      const local = localProviderType.create({ name: 'local', options: {}, log: silentLog });
      const small = { data: await pngImage(64, 64), mime: 'image/png' };
      expect((await rejectionOf(local.edit({ prompt: 'x', params: {}, images: [{ data: declared50Mp(), mime: 'image/png' }] }, { signal: signal() }))).code).toBe('image_too_large');
      expect((await rejectionOf(local.edit({ prompt: 'x', params: {}, images: [small], mask: { data: declared50Mp(), mime: 'image/png' } }, { signal: signal() }))).code).toBe('image_too_large');
    });

    describe('a provider answer over HTTP', () => {
      let fake: FakeOpenAI;
      beforeAll(async () => {
        fake = await new FakeOpenAI().start();
      });
      afterAll(() => fake.stop());

      it('refuses the bomb when the answer arrives, not later, and never retries it', async () => {
        const registry = createProviderRegistry();
        registry.build(parsePluginConfig({ providers: { studio: { type: 'openai', apiKey: fake.apiKey, baseUrl: `${fake.url}/v1` } }, defaultProvider: 'studio' }), silentLog);
        fake.inject({ name: 'image_bytes', image: declared50Mp() });
        const error = await rejectionOf(registry.get('studio').generate({ prompt: 'x', params: {} }, { signal: signal() }));
        expect(error.code).toBe('image_too_large');
        expect(isRetryable(error)).toBe(false);
      });

      it('bounds the bytes buffered per answer by media.maxInputBytes', async () => {
        configureDecodeLimits({ maxInputBytes: 1024 * 1024 });
        const registry = createProviderRegistry();
        registry.build(parsePluginConfig({ providers: { studio: { type: 'openai', apiKey: fake.apiKey, baseUrl: `${fake.url}/v1` } }, defaultProvider: 'studio' }), silentLog);
        fake.inject({ name: 'image_bytes', image: Buffer.alloc(3 * 1024 * 1024, 7) });
        const error = await rejectionOf(registry.get('studio').generate({ prompt: 'x', params: {} }, { signal: signal() }));
        expect(error.message).toMatch(/larger than 2 MB/);
      });
    });
  });
});
