/**
 * The live preview of a running job: each partial frame a provider sends is shrunk to a small WebP and written
 * on the job row (any instance can serve it to the admin), the latest one only. Writes go through the caller's
 * held-lease update, so they never take the lease nor touch the status; the job store drops the preview when
 * the job stops running.
 */
import type { PartialFrame } from '../providers/types';
import { decodeStep, openImage } from './decode';

/** Longest edge of a stored preview: enough for the admin's panel, a few kB on the row. */
export const PREVIEW_MAX_EDGE = 256;

export interface StoredPreview {
  previewData: string;
  previewIndex: number;
  previewAt: Date;
}

/** The frame as a small WebP; decoded under the same pixel limits as any image. */
export async function shrinkFrame(frame: PartialFrame): Promise<Buffer> {
  const { image } = await openImage(frame.data, 'partial image');
  return decodeStep(
    () => image.rotate().resize(PREVIEW_MAX_EDGE, PREVIEW_MAX_EDGE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer(),
    'partial image'
  );
}

export interface PreviewWriter {
  /** Takes a frame without waiting for it to be stored; frames older than one already taken are ignored. */
  offer(frame: PartialFrame): void;
  /** Drops frames not yet stored and waits for the write under way: call before the job moves on. */
  settle(): Promise<void>;
}

/**
 * One write at a time, the newest frame next: a slow database sees fewer previews, never a queue of them.
 * A failed write is logged and forgotten: a preview must never fail the job.
 */
export function createPreviewWriter(write: (preview: StoredPreview) => Promise<unknown>, log: { debug(message: string): void }): PreviewWriter {
  let next: PartialFrame | null = null;
  let lastIndex = -1;
  let running: Promise<void> | null = null;
  let settled = false;

  async function pump(): Promise<void> {
    while (next && !settled) {
      const frame = next;
      next = null;
      try {
        const data = await shrinkFrame(frame);
        if (!settled) await write({ previewData: data.toString('base64'), previewIndex: frame.index, previewAt: new Date() });
      } catch (error) {
        log.debug(`ai-assets: partial frame ${frame.index} not stored: ${(error as Error).message}`);
      }
    }
    running = null;
  }

  return {
    offer(frame) {
      if (settled || frame.index <= lastIndex) return;
      lastIndex = frame.index;
      next = frame;
      running ??= pump();
    },
    async settle() {
      settled = true;
      next = null;
      await running;
    },
  };
}
