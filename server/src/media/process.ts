/** sharp post-processing per a rule's `output`: decode safely, resize/crop, convert, strip metadata. */
import type { Sharp } from 'sharp';
import type { OutputSpec } from '../config/schema';
import { NonRetryableError } from '../providers/errors';
import { DEFAULT_DECODE_LIMITS, ImageRejectedError, limitedSharp, readImageInfo } from './decode';

/** Default pixel limit (the configured one is `media.maxInputPixels`, see media/decode.ts). */
export const MAX_INPUT_PIXELS = DEFAULT_DECODE_LIMITS.maxInputPixels;

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

/** Opens untrusted image bytes with the configured pixel limit, sequential reads and timeout applied. */
export function openImage(input: Buffer): Sharp {
  return limitedSharp(input);
}

export async function processImage(input: Buffer, output: OutputSpec): Promise<ProcessedImage> {
  try {
    await readImageInfo(input, 'generated image'); // bytes and header pixel count, before any decoding
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
    if (error instanceof ImageRejectedError) throw error;
    throw new NonRetryableError('invalid_image', `The generated image could not be processed: ${(error as Error).message}`);
  }
}
