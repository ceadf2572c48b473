import sharp from 'sharp';
import { AbortedError, InvalidRequestError } from '../../../server/src/providers/errors';
import { localProviderType } from '../../../server/src/providers/local';
import type { EditRequest, GenerateRequest } from '../../../server/src/providers/types';
import { silentLog } from '../../fixtures/fake-strapi';
import { leftHalfTransparentMask, maxChannelDifference, rawRegion, twoTonePng } from '../../fixtures/images';

const provider = localProviderType.create({ name: 'local', options: {}, log: silentLog });
const call = () => ({ signal: new AbortController().signal });
const generate = (request: GenerateRequest) => provider.generate(request, call());
const edit = (request: EditRequest) => provider.edit(request, call());
const firstImage = async (result: Promise<{ images: Array<{ data: Buffer }> }>) => (await result).images[0].data;

describe('providers/local', () => {
  let source: Buffer;
  beforeAll(async () => {
    source = await twoTonePng(64, 48, { r: 200, g: 30, b: 30 }, { r: 20, g: 40, b: 180 });
  });

  describe('generate', () => {
    it.each([
      ['64x48', 64, 48],
      ['16x96', 16, 96],
      ['auto', 1024, 1024],
    ])('returns one PNG of size %s', async (size, width, height) => {
      const result = await generate({ prompt: 'A lighthouse', params: { size } });
      expect(result.images).toHaveLength(1);
      expect(result.images[0]).toMatchObject({ mime: 'image/png', width, height });
      expect(result).toMatchObject({ model: 'local-artwork-1', costUsd: 0 });
      const meta = await sharp(result.images[0].data).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', width, height]);
    });

    it('is byte-identical for the same prompt, params and seed', async () => {
      const params = { size: '48x32', seed: 3, title: 'Spring' };
      const [a, b] = await Promise.all([firstImage(generate({ prompt: 'A lighthouse', params })), firstImage(generate({ prompt: 'A lighthouse', params }))]);
      expect(a.equals(b)).toBe(true);
    });

    it.each([
      ['prompt', { prompt: 'A windmill', params: { size: '48x32', seed: 3 } }],
      ['seed', { prompt: 'A lighthouse', params: { size: '48x32', seed: 4 } }],
      ['title', { prompt: 'A lighthouse', params: { size: '48x32', seed: 3, title: 'Spring issue' } }],
    ])('differs when the %s changes', async (_label, other) => {
      const base = await firstImage(generate({ prompt: 'A lighthouse', params: { size: '48x32', seed: 3 } }));
      expect(base.equals(await firstImage(generate(other)))).toBe(false);
    });

    it('returns n distinct images for n, the first the same as n: 1 makes, all deterministic', async () => {
      const params = { size: '48x32', seed: 3 };
      const [three, again, one] = await Promise.all([
        generate({ prompt: 'A lighthouse', params: { ...params, n: 3 } }),
        generate({ prompt: 'A lighthouse', params: { ...params, n: 3 } }),
        generate({ prompt: 'A lighthouse', params }),
      ]);
      expect(three.images).toHaveLength(3);
      expect(new Set(three.images.map((image) => image.data.toString('base64'))).size).toBe(3);
      three.images.forEach((image, index) => expect(image.data.equals(again.images[index].data)).toBe(true));
      expect(three.images[0].data.equals(one.images[0].data)).toBe(true);
      expect(three.usage).toEqual({ images: 3 });
    });

    it('edits into n distinct variants', async () => {
      const result = await edit({ prompt: 'Warmer', params: { n: 2 }, images: [{ data: source, mime: 'image/png' }] });
      expect(result.images).toHaveLength(2);
      expect(result.images[0].data.equals(result.images[1].data)).toBe(false);
    });

    it('accepts a title with markup characters and draws it', async () => {
      const result = await generate({ prompt: 'x', params: { size: '128x64', title: 'Tom & Jerry <3 "quotes"' } });
      expect((await sharp(result.images[0].data).metadata()).width).toBe(128);
    });

    it('rejects with AbortedError soon after the signal aborts during delayMs', async () => {
      const controller = new AbortController();
      const started = Date.now();
      const pending = provider.generate({ prompt: 'x', params: { size: '32x32', delayMs: 30_000 } }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      await expect(pending).rejects.toBeInstanceOf(AbortedError);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('rejects at once with an already aborted signal', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(provider.generate({ prompt: 'x', params: { size: '32x32' } }, { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
    });
  });

  describe('paramsSchema', () => {
    it.each([
      [{}],
      [{ size: 'auto' }],
      [{ size: '16x16' }],
      [{ size: '4096x4096', seed: 99, title: 'T', delayMs: 0 }],
      [{ quality: 'high', background: 'opaque', n: 1 }],
    ])('accepts %j', (params) => {
      expect(provider.paramsSchema.safeParse(params).success).toBe(true);
    });

    it('fills in the defaults and leaves size open (generate: 1024x1024, edit: the source size)', () => {
      expect(provider.paramsSchema.parse({})).toEqual({ seed: 0, delayMs: 0, partial_images: 2 });
    });

    it.each([
      [{ size: '12x12' }, 'size'],
      [{ size: '15x1024' }, 'size'],
      [{ size: '4097x1024' }, 'size'],
      [{ size: 'huge' }, 'size'],
      [{ size: '1024X1024' }, 'size'],
      [{ size: '1024x' }, 'size'],
      [{ seed: 1.5 }, 'seed'],
      [{ seed: -1 }, 'seed'],
      [{ delayMs: 600_001 }, 'delayMs'],
      [{ n: 11 }, 'n'],
      [{ n: 0 }, 'n'],
      [{ title: 'x'.repeat(301) }, 'title'],
      [{ style: 'vivid' }, ''],
    ])('rejects %j at %j', (params, path) => {
      const result = provider.paramsSchema.safeParse(params);
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((issue) => issue.path.join('.'))).toEqual([path]);
    });
  });

  describe('edit', () => {
    const sourceImage = () => ({ data: source, mime: 'image/png', name: 'source.png' });

    it.each([
      ['auto', 64, 48],
      ['32x32', 32, 32],
      ['96x64', 96, 64],
    ])('returns a PNG of size %s', async (size, width, height) => {
      const result = await edit({ prompt: 'Make it warmer', params: { size }, images: [sourceImage()] });
      expect(result.images[0]).toMatchObject({ mime: 'image/png', width, height });
      const meta = await sharp(result.images[0].data).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', width, height]);
    });

    it('keeps the source size when params name no size', async () => {
      const result = await edit({ prompt: 'Make it warmer', params: {}, images: [sourceImage()] });
      expect([result.images[0].width, result.images[0].height]).toEqual([64, 48]);
    });

    it('rejects bad params with a non-retryable InvalidRequestError', async () => {
      const failure = edit({ prompt: 'x', params: { size: 'huge' }, images: [sourceImage()] });
      await expect(failure).rejects.toBeInstanceOf(InvalidRequestError);
      await expect(failure).rejects.toThrow(/params\.size/);
    });

    it('changes the source image', async () => {
      const edited = await firstImage(edit({ prompt: 'Make it warmer', params: { size: 'auto' }, images: [sourceImage()] }));
      const whole = { left: 0, top: 0, width: 64, height: 48 };
      expect(maxChannelDifference(await rawRegion(edited, whole), await rawRegion(source, whole))).toBeGreaterThan(20);
    });

    it('is byte-identical for the same inputs and differs for another prompt', async () => {
      const request = { prompt: 'Make it warmer', params: { size: 'auto', seed: 2 }, images: [sourceImage()] };
      const [a, b, other] = await Promise.all([
        firstImage(edit(request)),
        firstImage(edit(request)),
        firstImage(edit({ ...request, prompt: 'Make it colder and darker' })),
      ]);
      expect(a.equals(b)).toBe(true);
      expect(a.equals(other)).toBe(false);
    });

    it('keeps the opaque half of the mask and edits the transparent half', async () => {
      const mask = await leftHalfTransparentMask(64, 48);
      const edited = await firstImage(edit({ prompt: 'Repaint', params: { size: 'auto' }, images: [sourceImage()], mask: { data: mask, mime: 'image/png' } }));
      const right = { left: 34, top: 0, width: 30, height: 48 };
      const left = { left: 0, top: 0, width: 30, height: 48 };
      expect(maxChannelDifference(await rawRegion(edited, right), await rawRegion(source, right))).toBeLessThanOrEqual(2);
      expect(maxChannelDifference(await rawRegion(edited, left), await rawRegion(source, left))).toBeGreaterThan(20);
      // Control: without the mask the same edit does change the right half.
      const unmasked = await firstImage(edit({ prompt: 'Repaint', params: { size: 'auto' }, images: [sourceImage()] }));
      expect(maxChannelDifference(await rawRegion(unmasked, right), await rawRegion(source, right))).toBeGreaterThan(20);
    });

    it('rejects an edit without a source image as an invalid request', async () => {
      await expect(edit({ prompt: 'x', params: {}, images: [] })).rejects.toBeInstanceOf(InvalidRequestError);
    });

    it('rejects with AbortedError when aborted during delayMs', async () => {
      const controller = new AbortController();
      const started = Date.now();
      const pending = provider.edit({ prompt: 'x', params: { delayMs: 30_000 }, images: [sourceImage()] }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      await expect(pending).rejects.toBeInstanceOf(AbortedError);
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });

  describe('describe', () => {
    it('is always configured', () => {
      expect(provider.describe()).toEqual({ configured: true });
    });
  });
});
