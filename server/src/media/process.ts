/** sharp post-processing per a rule's `output`: decode safely, resize/crop, convert, strip metadata. */
import sharp from 'sharp';
import type { OutputSpec } from '../config/schema';
import { NonRetryableError } from '../providers/errors';

/** Refuse decompression bombs: 100 MP is far above any provider's largest image (3840x2160 = 8.3 MP). */
export const MAX_INPUT_PIXELS = 100_000_000;
const PROCESS_TIMEOUT_SECONDS = 60;

export const MIME_BY_FORMAT = { webp: 'image/webp', avif: 'image/avif', png: 'image/png', jpeg: 'image/jpeg' } as const;
export const EXTENSION_BY_FORMAT = { webp: 'webp', avif: 'avif', png: 'png', jpeg: 'jpg' } as const;

export interface ProcessedImage {
  data: Buffer;
  mime: string;
  extension: string;
  width: number;
  height: number;
  size: number;
}

/** Opens untrusted image bytes with the pixel limit and timeout applied. */
export function openImage(input: Buffer) {
  return sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).timeout({ seconds: PROCESS_TIMEOUT_SECONDS });
}

export async function processImage(input: Buffer, output: OutputSpec): Promise<ProcessedImage> {
  try {
    let pipeline = openImage(input).rotate(); // honour EXIF orientation before metadata is dropped
    if (output.width || output.height) {
      pipeline = pipeline.resize({ width: output.width, height: output.height, fit: output.fit, position: 'attention' });
    }
    switch (output.format) {
      case 'webp':
        pipeline = pipeline.webp({ quality: output.quality });
        break;
      case 'avif':
        pipeline = pipeline.avif({ quality: output.quality, effort: 2 });
        break;
      case 'png':
        pipeline = pipeline.png({ compressionLevel: 9, adaptiveFiltering: true });
        break;
      case 'jpeg':
        pipeline = pipeline.jpeg({ quality: output.quality, mozjpeg: true });
        break;
    }
    // sharp writes no EXIF/ICC/XMP unless asked (keepMetadata), so provider metadata is stripped here.
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return {
      data,
      mime: MIME_BY_FORMAT[output.format],
      extension: EXTENSION_BY_FORMAT[output.format],
      width: info.width,
      height: info.height,
      size: info.size,
    };
  } catch (error) {
    throw new NonRetryableError('invalid_image', `The generated image could not be processed: ${(error as Error).message}`);
  }
}
