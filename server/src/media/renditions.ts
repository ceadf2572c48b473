/**
 * Every file a job stores, from ONE decode of the provider's bytes: each rendition (the rule's output spec, or
 * each entry of a list of named renditions) is resized from the decoded pixels and encoded once at the rule's
 * format and quality, and the Media Library's responsive formats (thumbnail, breakpoints) are resized from that
 * rendition's pixels, never from its encoded file. Nothing is encoded twice and nothing is decoded twice.
 */
import sharp from 'sharp';
import type { OutputSpec } from '../config/schema';
import { NonRetryableError } from '../providers/errors';
import { decodeStep, type ImageInfo, openImage, readImageInfo } from './decode';
import { EXTENSION_BY_FORMAT, MIME_BY_FORMAT, type ProcessedImage } from './process';

/** One encoded file: the same shape processImage returns. */
export type EncodedImage = ProcessedImage;

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

/** Decodes once (through the decode limits, EXIF orientation applied) into raw pixels every rendition is cut from. */
async function decode(input: Buffer): Promise<Pixels> {
  const { image } = await openImage(input, 'generated image');
  const { data, info } = await decodeStep(() => image.rotate().raw().toBuffer({ resolveWithObject: true }), 'generated image');
  return { data, width: info.width, height: info.height, channels: info.channels as Pixels['channels'] };
}

/** The saliency search runs on a copy this size (long edge): cheap, and plenty to find the subject. */
const SALIENCY_EDGE = 256;

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * What a rendition is cut from: decoded pixels, an optional crop region of them, and the rendition's size.
 * Every file of the rendition (original and formats) is ONE streamed sharp pipeline from these pixels.
 */
interface RenditionSource {
  pixels: Pixels;
  region: Region | null;
  width: number;
  height: number;
}

/**
 * A cover crop is the WIDEST box of the asked aspect ratio (so nothing is cut that a wider crop could keep),
 * placed by sharp's attention strategy (faces, skin tones, saturated detail) run on a small copy.
 */
async function coverRegion(pixels: Pixels, width: number, height: number): Promise<Region> {
  const aspect = width / height;
  const cropWidth = Math.min(pixels.width, Math.round(pixels.height * aspect));
  const cropHeight = Math.min(pixels.height, Math.round(pixels.width / aspect));
  if (cropWidth === pixels.width && cropHeight === pixels.height) return { left: 0, top: 0, width: cropWidth, height: cropHeight };
  const scale = Math.min(1, SALIENCY_EDGE / Math.max(pixels.width, pixels.height));
  const small = await fromPixels(pixels)
    .resize({ width: Math.max(1, Math.round(pixels.width * scale)), height: Math.max(1, Math.round(pixels.height * scale)), fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { info } = await fromPixels({ data: small.data, width: small.info.width, height: small.info.height, channels: pixels.channels })
    .resize({ width: Math.max(1, Math.round(cropWidth * scale)), height: Math.max(1, Math.round(cropHeight * scale)), fit: 'cover', position: 'attention' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const clamp = (value: number, max: number) => Math.min(Math.max(0, Math.round(value)), max);
  return {
    left: clamp(Math.abs(info.cropOffsetLeft ?? 0) / scale, pixels.width - cropWidth),
    top: clamp(Math.abs(info.cropOffsetTop ?? 0) / scale, pixels.height - cropHeight),
    width: cropWidth,
    height: cropHeight,
  };
}

async function sourceFor(pixels: Pixels, spec: OutputSpec): Promise<RenditionSource> {
  if (!spec.width && !spec.height) return { pixels, region: null, width: pixels.width, height: pixels.height };
  if (spec.fit === 'cover' && spec.width && spec.height) {
    return { pixels, region: await coverRegion(pixels, spec.width, spec.height), width: spec.width, height: spec.height };
  }
  // contain / inside / outside / fill, or one edge given: sharp computes the size; formats are cut from the result.
  const { data, info } = await fromPixels(pixels).resize({ width: spec.width, height: spec.height, fit: spec.fit }).raw().toBuffer({ resolveWithObject: true });
  const resized: Pixels = { data, width: info.width, height: info.height, channels: info.channels as Pixels['channels'] };
  return { pixels: resized, region: null, width: resized.width, height: resized.height };
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

/** One file of a rendition at `size`: crop (if any), resize (if needed), encode once, XMP. */
async function encode(source: RenditionSource, size: { width: number; height: number }, spec: OutputSpec, xmp: string | null): Promise<EncodedImage> {
  let pipeline = fromPixels(source.pixels);
  if (source.region) pipeline = pipeline.extract(source.region);
  const from = source.region ?? source.pixels;
  if (from.width !== size.width || from.height !== size.height) pipeline = pipeline.resize({ width: size.width, height: size.height, fit: 'fill' });
  pipeline = applyEncoder(pipeline, spec);
  // sharp writes no EXIF/ICC unless asked, so the provider's metadata is dropped; our XMP says where it came from.
  if (xmp) pipeline = pipeline.withXmp(xmp);
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  return { data, mime: MIME_BY_FORMAT[spec.format], extension: EXTENSION_BY_FORMAT[spec.format], width: info.width, height: info.height, size: info.size };
}

/** No transform is needed when the provider already delivered the asked format and size (and no rotation). */
function keepableAsIs(input: Buffer, meta: ImageInfo, spec: OutputSpec): EncodedImage | null {
  // AVIF and HEIC share sharp's "heif" format: only keep the formats we can tell apart.
  if (spec.format === 'avif' || meta.format !== SHARP_FORMAT_BY_OUTPUT[spec.format]) return null;
  if ((meta.orientation ?? 1) !== 1 || meta.pages > 1) return null;
  if (spec.width && spec.width !== meta.width) return null;
  if (spec.height && spec.height !== meta.height) return null;
  return { data: input, mime: MIME_BY_FORMAT[spec.format], extension: EXTENSION_BY_FORMAT[spec.format], width: meta.width, height: meta.height, size: input.length };
}

/** Strapi's rule: a format is made only when the image is larger than it on one side; it fits "inside" it. */
const formatFits = (size: FormatSize, image: { width: number; height: number }) => image.width > size.width || image.height > size.height;
function insideOf(image: { width: number; height: number }, box: FormatSize) {
  const scale = Math.min(box.width / image.width, box.height / image.height);
  return { width: Math.max(1, Math.round(image.width * scale)), height: Math.max(1, Math.round(image.height * scale)) };
}

async function formatsOf(source: RenditionSource, spec: OutputSpec, sizes: FormatSize[], xmp: string | null) {
  const formats: ProducedRendition['formats'] = [];
  for (const size of sizes) {
    if (formatFits(size, source)) formats.push({ key: size.key, image: await encode(source, insideOf(source, size), spec, xmp) });
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
    const meta = await readImageInfo(input, 'generated image'); // header checks before any decode
    let decoded: Pixels | null = null;
    const pixelsOf = async () => (decoded ??= await decode(input));
    const produced: ProducedRendition[] = [];
    for (const spec of specs) {
      const sizes = spec.formats === false ? [] : options.formatSizes;
      const kept = keepableAsIs(input, meta, spec);
      if (kept) {
        const needsPixels = sizes.some((size) => formatFits(size, kept));
        const formats = needsPixels ? await formatsOf(await sourceFor(await pixelsOf(), spec), spec, sizes, options.xmp) : [];
        produced.push({ original: kept, formats, providerBytesKept: true });
        continue;
      }
      const source = await sourceFor(await pixelsOf(), spec);
      const original = await encode(source, source, spec, options.xmp);
      produced.push({ original, formats: await formatsOf(source, spec, sizes, options.xmp), providerBytesKept: false });
    }
    return produced;
  } catch (error) {
    if (error instanceof NonRetryableError) throw error;
    throw new NonRetryableError('invalid_image', `The generated image could not be processed: ${(error as Error).message}`);
  }
}
