import sharp from 'sharp';
import { createPreviewWriter, PREVIEW_MAX_EDGE, shrinkFrame, type StoredPreview } from '../../../server/src/media/live-preview';
import { localProviderType } from '../../../server/src/providers/local';
import type { PartialFrame } from '../../../server/src/providers/types';
import { silentLog } from '../../fixtures/fake-strapi';

const frame = async (index: number, width = 800, height = 400): Promise<PartialFrame> => ({
  index,
  data: await sharp({ create: { width, height, channels: 3, background: { r: 10 * index, g: 20, b: 30 } } }).png().toBuffer(),
  mime: 'image/png',
});

describe('media/live-preview', () => {
  describe('shrinkFrame', () => {
    it('makes a WebP whose longest edge is at most the preview size, keeping the aspect ratio', async () => {
      const metadata = await sharp(await shrinkFrame(await frame(0, 1536, 1024))).metadata();
      expect([metadata.format, metadata.width, metadata.height]).toEqual(['webp', PREVIEW_MAX_EDGE, 171]);
    });

    it('never enlarges a small frame', async () => {
      const metadata = await sharp(await shrinkFrame(await frame(0, 64, 32))).metadata();
      expect([metadata.width, metadata.height]).toEqual([64, 32]);
    });
  });

  describe('createPreviewWriter', () => {
    it('writes one frame at a time and skips to the newest, never going back to an older index', async () => {
      const written: StoredPreview[] = [];
      let release: () => void = () => undefined;
      const writer = createPreviewWriter(async (preview) => {
        written.push(preview);
        if (written.length === 1) await new Promise<void>((resolve) => (release = resolve));
      }, silentLog);
      writer.offer(await frame(0));
      await new Promise((resolve) => setTimeout(resolve, 100));
      // While frame 0 is being written, 1 and 2 arrive (2 replaces 1); a late 1 is ignored.
      writer.offer(await frame(1));
      writer.offer(await frame(2));
      writer.offer(await frame(1));
      release();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await writer.settle();
      expect(written.map((preview) => preview.previewIndex)).toEqual([0, 2]);
      expect(written[1].previewAt).toBeInstanceOf(Date);
    });

    it('drops frames not yet written once settled, and a failed write does not throw', async () => {
      const written: number[] = [];
      const writer = createPreviewWriter(async (preview) => {
        written.push(preview.previewIndex);
        throw new Error('database gone');
      }, silentLog);
      writer.offer(await frame(0));
      await writer.settle();
      writer.offer(await frame(1));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(written.length).toBeLessThanOrEqual(1);
      expect(written).not.toContain(1);
    });
  });

  describe('local provider partial frames', () => {
    const provider = localProviderType.create({ name: 'local', options: {}, log: silentLog });

    it('sends progressively sharper frames during its delay, then the final image', async () => {
      const frames: PartialFrame[] = [];
      const result = await provider.generate({ prompt: 'a fox', params: { size: '512x256', delayMs: 60 } }, { signal: new AbortController().signal, onPartial: (partial) => void frames.push(partial) });
      expect(frames.map((partial) => partial.index)).toEqual([0, 1]);
      const sharpness = async (data: Buffer) => (await sharp(data).resize(256, 128).greyscale().raw().toBuffer()).reduce((sum, value, index, all) => sum + Math.abs(value - (all[index + 1] ?? value)), 0);
      const [first, second, final] = await Promise.all([sharpness(frames[0].data), sharpness(frames[1].data), sharpness(result.images[0].data)]);
      expect(first).toBeLessThan(second);
      expect(second).toBeLessThan(final);
    });

    it('sends none without a delay (nothing to watch) or when partial_images is 0', async () => {
      const frames: PartialFrame[] = [];
      const onPartial = (partial: PartialFrame) => void frames.push(partial);
      await provider.generate({ prompt: 'a fox', params: { size: '64x64' } }, { signal: new AbortController().signal, onPartial });
      await provider.generate({ prompt: 'a fox', params: { size: '64x64', delayMs: 20, partial_images: 0 } }, { signal: new AbortController().signal, onPartial });
      expect(frames).toEqual([]);
    });
  });
});
