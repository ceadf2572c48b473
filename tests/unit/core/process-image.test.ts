import sharp from 'sharp';
import type { OutputSpec } from '../../../server/src/config/schema';
import { MAX_INPUT_PIXELS, processImage } from '../../../server/src/media/process';
import { NonRetryableError } from '../../../server/src/providers/errors';
import { pngDeclaringSize, twoTonePng } from '../../fixtures/images';

const output = (spec: Partial<OutputSpec> = {}): OutputSpec => ({ format: 'webp', quality: 82, fit: 'cover', ...spec });

async function failureOf(promise: Promise<unknown>): Promise<NonRetryableError> {
  const error = await promise.then(
    () => {
      throw new Error('expected processImage to reject');
    },
    (rejection: unknown) => rejection
  );
  expect(error).toBeInstanceOf(NonRetryableError);
  return error as NonRetryableError;
}

describe('media/process', () => {
  let png: Buffer;
  let jpegWithExif: Buffer;
  beforeAll(async () => {
    png = await twoTonePng(60, 40, { r: 200, g: 30, b: 30 }, { r: 20, g: 40, b: 180 });
    jpegWithExif = await sharp(png)
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Copyright: 'ACME Corp', Artist: 'Provider Bot', ImageDescription: 'prompt: secret plans' } })
      .jpeg()
      .toBuffer();
  });

  describe('processImage', () => {
    it.each([
      ['webp', 'webp', 'image/webp', 'webp'],
      ['avif', 'heif', 'image/avif', 'avif'],
      ['png', 'png', 'image/png', 'png'],
      ['jpeg', 'jpeg', 'image/jpeg', 'jpg'],
    ] as const)('converts to %s', async (format, sharpFormat, mime, extension) => {
      const result = await processImage(png, output({ format }));
      expect(result).toMatchObject({ mime, extension, width: 60, height: 40, size: result.data.length });
      const meta = await sharp(result.data).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([sharpFormat, 60, 40]);
    });

    it.each([
      [{ width: 32, height: 32, fit: 'cover' }, 32, 32],
      [{ width: 20, height: 30, fit: 'cover' }, 20, 30],
      [{ width: 30, height: 30, fit: 'fill' }, 30, 30],
      [{ width: 30, height: 30, fit: 'inside' }, 30, 20],
      [{ width: 30, height: 30, fit: 'contain' }, 30, 30],
      [{ width: 30 }, 30, 20],
      [{ height: 20 }, 30, 20],
    ] as const)('resizes with %j to %ix%i', async (spec, width, height) => {
      const result = await processImage(png, output({ format: 'png', ...spec }));
      expect([result.width, result.height]).toEqual([width, height]);
      const meta = await sharp(result.data).metadata();
      expect([meta.width, meta.height]).toEqual([width, height]);
    });

    it.each(['webp', 'avif', 'png', 'jpeg'] as const)('strips EXIF metadata when writing %s', async (format) => {
      expect((await sharp(jpegWithExif).metadata()).exif).toBeDefined();
      const result = await processImage(jpegWithExif, output({ format }));
      const meta = await sharp(result.data).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(result.data.includes(Buffer.from('ACME Corp'))).toBe(false);
    });

    it('applies the EXIF orientation before dropping it', async () => {
      const result = await processImage(jpegWithExif, output({ format: 'png' }));
      expect([result.width, result.height]).toEqual([40, 60]);
    });

    it.each<[string, () => Buffer]>([
      ['random bytes', () => Buffer.from('definitely not an image, just some text')],
      ['an empty buffer', () => Buffer.alloc(0)],
      ['a truncated PNG', () => png.subarray(0, 60)],
    ])('refuses %s as invalid_image', async (_label, bytes) => {
      const error = await failureOf(processImage(bytes(), output()));
      expect(error.code).toBe('invalid_image');
      expect(error.message).toMatch(/^The generated image (could not be|is empty)/);
    });

    it.each([
      ['above the limit', 5_000, 4_001],
      ['far above the limit', 100_000, 100_000],
    ])('refuses a PNG header declaring %s (%ix%i) before decoding it', async (_label, width, height) => {
      expect(width * height).toBeGreaterThan(MAX_INPUT_PIXELS);
      const error = await failureOf(processImage(pngDeclaringSize(width, height), output()));
      expect(error.code).toBe('image_too_large');
      expect(error.message).toContain('(media.maxInputPixels)');
    });

    it('does not blame the pixel limit for an equally broken PNG at exactly the limit', async () => {
      const error = await failureOf(processImage(pngDeclaringSize(4_000, 4_000), output()));
      expect(error.code).toBe('invalid_image');
      expect(error.message).not.toContain('pixel limit');
    });
  });
});
