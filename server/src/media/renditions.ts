/**
 * Every file a job stores, from ONE decode of the provider's bytes: each rendition (the rule's output spec, or
 * each entry of a list of named renditions) is resized from the decoded pixels and encoded once at the rule's
 * format and quality, and the Media Library's responsive formats (thumbnail, breakpoints) are resized from that
 * rendition's pixels, never from its encoded file. Nothing is encoded twice and nothing is decoded twice.
 */
import sharp from 'sharp';
import type { OutputSpec } from '../config/schema';
import { NonRetryableError } from '../providers/errors';
import { EXTENSION_BY_FORMAT, MIME_BY_FORMAT, openImage } from './process';

export interface EncodedImage {
  data: Buffer;
  mime: string;
  extension: string;
  width: number;
  height: number;
  size: number;
}

/** One size the Media Library wants next to an original (Strapi's `formats.<key>`), resized with fit "inside". */
export interface FormatSize {
  key: string;
  width: number;
  height: number;
}

export interface ProducedRendition {
  original: EncodedImage;
  formats: Array<{ key: string; image: EncodedImage }>;
  /** The provider's bytes were stored as they came (format and size already as asked). */
  providerBytesKept: boolean;
}

interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

type Sharp = ReturnType<typeof sharp>;

const SHARP_FORMAT_BY_OUTPUT = { webp: 'webp', avif: 'heif', png: 'png', jpeg: 'jpeg' } as const;

const fromPixels = (pixels: Pixels) => sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } });

/** Decodes once (EXIF orientation applied) into raw pixels every rendition is cut from. */
async function decode(input: Buffer): Promise<Pixels> {
  const { data, info } = await openImage(input).rotate().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as Pixels['channels'] };
}

/** Resize/crop per the spec; the attention strategy keeps the most salient region (faces, skin, contrast) in a cover crop. */
async function resizePixels(pixels: Pixels, spec: Pick<OutputSpec, 'width' | 'height' | 'fit'>): Promise<Pixels> {
  if (!spec.width && !spec.height) return pixels;
  if (spec.width === pixels.width && spec.height === pixels.height) return pixels;
  const { data, info } = await fromPixels(pixels)
    .resize({ width: spec.width, height: spec.height, fit: spec.fit, position: spec.fit === 'cover' ? 'attention' : 'centre' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as Pixels['channels'] };
}

/** Encoder settings of an output spec; shared with the bench's bare-sharp baseline so both encode alike. */
export function applyEncoder(pipeline: Sharp, spec: Pick<OutputSpec, 'format' | 'quality'>): Sharp {
  switch (spec.format) {
    case 'webp':
      return pipeline.webp({ quality: spec.quality });
    case 'avif':
      return pipeline.avif({ quality: spec.quality, effort: 2 });
    case 'png':
      return pipeline.png({ compressionLevel: 9, adaptiveFiltering: true });
    case 'jpeg':
      return pipeline.jpeg({ quality: spec.quality, mozjpeg: true });
  }
}

async function encode(pixels: Pixels, spec: OutputSpec, xmp: string | null): Promise<EncodedImage> {
  let pipeline = applyEncoder(fromPixels(pixels), spec);
  // sharp writes no EXIF/ICC unless asked, so the provider's metadata is dropped; our XMP says where it came from.
  if (xmp) pipeline = pipeline.withXmp(xmp);
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return { data, mime: MIME_BY_FORMAT[spec.format], extension: EXTENSION_BY_FORMAT[spec.format], width: info.width, height: info.height, size: info.size };
}

/** No transform is needed when the provider already delivered the asked format and size (and no rotation). */
async function keepableAsIs(input: Buffer, spec: OutputSpec): Promise<EncodedImage | null> {
  const meta = await sharp(input).metadata();
  if (meta.format !== SHARP_FORMAT_BY_OUTPUT[spec.format]) return null;
  if (spec.format === 'avif' && meta.compression !== 'av1') return null;
  if ((meta.orientation ?? 1) !== 1 || !meta.width || !meta.height) return null;
  if (spec.width && spec.width !== meta.width) return null;
  if (spec.height && spec.height !== meta.height) return null;
  return { data: input, mime: MIME_BY_FORMAT[spec.format], extension: EXTENSION_BY_FORMAT[spec.format], width: meta.width, height: meta.height, size: input.length };
}

/** Strapi's rule: a format is made only when the image is larger than it on one side. */
const formatFits = (size: FormatSize, image: { width: number; height: number }) => image.width > size.width || image.height > size.height;

async function formatsOf(pixels: Pixels, spec: OutputSpec, sizes: FormatSize[], xmp: string | null) {
  const formats: ProducedRendition['formats'] = [];
  for (const size of sizes) {
    if (!formatFits(size, pixels)) continue;
    const resized = await resizePixels(pixels, { width: size.width, height: size.height, fit: 'inside' });
    formats.push({ key: size.key, image: await encode(resized, spec, xmp) });
  }
  return formats;
}

export interface RenditionOptions {
  /** XMP for every file we encode (null: none). */
  xmp: string | null;
  /** The Media Library's formats to make for each rendition whose spec does not say `formats: false`. */
  formatSizes: FormatSize[];
}

/**
 * Produces the files of every rendition from one decode. A rendition needing no transform keeps the provider's
 * bytes untouched (a C2PA manifest in them survives); its formats are still made from the one decode.
 */
export async function produceRenditions(input: Buffer, specs: OutputSpec[], options: RenditionOptions): Promise<ProducedRendition[]> {
  try {
    let decoded: Pixels | null = null;
    const pixelsOf = async () => (decoded ??= await decode(input));
    const produced: ProducedRendition[] = [];
    for (const spec of specs) {
      const sizes = spec.formats === false ? [] : options.formatSizes;
      const kept = await keepableAsIs(input, spec);
      if (kept) {
        const needsPixels = sizes.some((size) => formatFits(size, kept));
        const formats = needsPixels ? await formatsOf(await pixelsOf(), spec, sizes, options.xmp) : [];
        produced.push({ original: kept, formats, providerBytesKept: true });
        continue;
      }
      const pixels = await resizePixels(await pixelsOf(), spec);
      produced.push({ original: await encode(pixels, spec, options.xmp), formats: await formatsOf(pixels, spec, sizes, options.xmp), providerBytesKept: false });
    }
    return produced;
  } catch (error) {
    if (error instanceof NonRetryableError) throw error;
    throw new NonRetryableError('invalid_image', `The generated image could not be processed: ${(error as Error).message}`);
  }
}
