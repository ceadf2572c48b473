/**
 * Preparing edit inputs with sharp so the API accepts them: sources as png/webp/jpeg under 50 MB (others
 * converted to PNG, EXIF orientation applied), and the mask as a PNG with alpha at exactly the first
 * image's dimensions.
 */
import sharp from 'sharp';
import { decodeStep, ImageRejectedError, openImage, readImageInfo } from '../../media/decode';
import { InvalidRequestError } from '../errors';
import type { ImageInput } from '../types';

const MAX_SOURCE_BYTES = 50 * 1024 * 1024;
const KEEP_FORMATS: Record<string, string> = { png: 'image/png', webp: 'image/webp', jpeg: 'image/jpeg' };

export interface PreparedImage {
  data: Buffer;
  mime: string;
  name: string;
  width: number;
  height: number;
}

async function readMetadata(data: Buffer, what: string) {
  try {
    return await readImageInfo(data, what);
  } catch (error) {
    if (error instanceof ImageRejectedError && error.code === 'image_too_large') throw error;
    throw new InvalidRequestError(`The ${what} could not be read as an image.`, { providerCode: 'invalid_image' });
  }
}

export async function prepareSourceImage(input: ImageInput, index: number): Promise<PreparedImage> {
  const metadata = await readMetadata(input.data, index === 0 ? 'source image' : `source image ${index + 1}`);
  const keepMime = metadata.format ? KEEP_FORMATS[metadata.format] : undefined;
  const upright = metadata.orientation === undefined || metadata.orientation === 1;
  if (keepMime && upright && input.data.length < MAX_SOURCE_BYTES && metadata.width && metadata.height) {
    const extension = metadata.format === 'jpeg' ? 'jpg' : metadata.format;
    return { data: input.data, mime: keepMime, name: `image-${index + 1}.${extension}`, width: metadata.width, height: metadata.height };
  }
  const { image } = await openImage(input.data, 'source image');
  const { data, info } = await decodeStep(() => image.rotate().png().toBuffer({ resolveWithObject: true }), 'source image');
  if (data.length >= MAX_SOURCE_BYTES) {
    throw new InvalidRequestError('The source image is larger than the 50 MB the provider accepts.', { providerCode: 'image_too_large' });
  }
  return { data, mime: 'image/png', name: `image-${index + 1}.png`, width: info.width, height: info.height };
}

/**
 * A mask with transparency is used as is (transparent = edit). A mask without any transparency is read as
 * black-and-white: white keeps, black edits, greys blend, so editors can paint masks in any tool.
 */
export async function prepareMask(mask: ImageInput, size: { width: number; height: number }): Promise<PreparedImage> {
  await readMetadata(mask.data, 'mask');
  const { width, height } = size;
  const { image } = await openImage(mask.data, 'mask');
  const { data: rgba, info } = await decodeStep(
    () => image.resize(width, height, { fit: 'fill' }).toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
    'mask'
  );
  const channels = info.channels;
  const pixels = width * height;
  let usesAlpha = false;
  for (let pixel = 0; pixel < pixels && !usesAlpha; pixel += 1) usesAlpha = rgba[pixel * channels + channels - 1] < 255;

  const out = Buffer.alloc(pixels * 4, 255);
  for (let pixel = 0; pixel < pixels; pixel += 1) {
    const source = pixel * channels;
    const alpha = usesAlpha
      ? rgba[source + channels - 1]
      : Math.round(0.2126 * rgba[source] + 0.7152 * rgba[source + 1] + 0.0722 * rgba[source + 2]);
    out[pixel * 4 + 3] = alpha;
  }
  const data = await sharp(out, { raw: { width, height, channels: 4 } }).png().toBuffer();
  return { data, mime: 'image/png', name: 'mask.png', width, height };
}
