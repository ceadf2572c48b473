/**
 * The one entry point for decoding untrusted image bytes (provider answers, sources for edits, masks,
 * downloads, "Test provider", local provider inputs). Every decode gets the same limits:
 * - encoded bytes (`media.maxInputBytes`), checked before sharp sees the buffer;
 * - pixels (`media.maxInputPixels`), checked from the header before decoding, and passed to libvips too;
 * - wall-clock time (`media.decodeTimeoutSeconds`);
 * - sequential reads, so libvips streams rows instead of holding whole images where the format allows.
 * A 778 KB PNG can declare 100 MP and cost gigabytes to decode: the header check refuses it for the price
 * of reading a few bytes.
 */
import sharp, { type Metadata, type Sharp } from 'sharp';
import { type MediaLimits, mediaLimitsSchema } from '../config/schema';
import { NonRetryableError } from '../providers/errors';

export type DecodeLimits = MediaLimits;

/** The config defaults (`media.*`) until bootstrap installs the configured values. */
export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = mediaLimitsSchema.parse({});

let limits: DecodeLimits = { ...DEFAULT_DECODE_LIMITS };

/** Called once at bootstrap with `config.media`; also what tests use to shrink the limits. */
export function configureDecodeLimits(next: Partial<DecodeLimits>): void {
  limits = { ...DEFAULT_DECODE_LIMITS, ...next };
}

export function decodeLimits(): Readonly<DecodeLimits> {
  return limits;
}

/** A refused or unreadable image: never retried (the same bytes fail the same way, and calls cost money). */
export class ImageRejectedError extends NonRetryableError {
  constructor(code: 'image_too_large' | 'invalid_image', message: string) {
    super(code, message);
    this.name = 'ImageRejectedError';
  }
}

export interface ImageInfo {
  format: string;
  width: number;
  height: number;
  /** Frames of an animated image (1 otherwise): each is decoded. */
  pages: number;
  hasAlpha: boolean;
  orientation?: number;
}

function checkBytes(input: Buffer, what: string): void {
  if (!Buffer.isBuffer(input) || input.length === 0) throw new ImageRejectedError('invalid_image', `The ${what} is empty.`);
  if (input.length > limits.maxInputBytes) {
    throw new ImageRejectedError('image_too_large', `The ${what} is ${mb(input.length)} MB; the limit is ${mb(limits.maxInputBytes)} MB (media.maxInputBytes).`);
  }
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

const BYTES_PER_SAMPLE: Record<string, number> = { uchar: 1, char: 1, ushort: 2, short: 2, uint: 4, int: 4, float: 4, complex: 8, double: 8, dpcomplex: 16 };

/**
 * Memory follows bytes, not pixels: the limit is in 8-bit RGBA pixels, so a 16-bit RGBA image counts twice
 * (8 bytes per pixel). 8-bit grey, RGB and RGBA all count once.
 */
function bytesPerPixelWeight(metadata: Metadata): number {
  const bytes = (BYTES_PER_SAMPLE[metadata.depth ?? 'uchar'] ?? 1) * (metadata.channels ?? 4);
  return Math.max(1, bytes / 4);
}

/** Reads the header only and refuses images whose pixel count is over the limit, before anything is decoded. */
export async function readImageInfo(input: Buffer, what = 'image'): Promise<ImageInfo> {
  checkBytes(input, what);
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false, failOn: 'error' }).metadata();
  } catch {
    throw new ImageRejectedError('invalid_image', `The ${what} could not be read as an image.`);
  }
  const { width, height, format } = metadata;
  if (!width || !height || !format) throw new ImageRejectedError('invalid_image', `The ${what} could not be read as an image.`);
  const pages = Math.max(1, metadata.pages ?? 1);
  const pixels = width * height * pages * bytesPerPixelWeight(metadata);
  if (pixels > limits.maxInputPixels) {
    const deep = bytesPerPixelWeight(metadata) > 1 ? `, ${metadata.depth === 'ushort' ? '16' : 'high'}-bit counted x${bytesPerPixelWeight(metadata)}` : '';
    throw new ImageRejectedError(
      'image_too_large',
      `The ${what} is ${width}x${height}${pages > 1 ? ` x ${pages} frames` : ''} (${Math.round(pixels / 1e5) / 10} MP${deep}); the limit is ${Math.round(limits.maxInputPixels / 1e5) / 10} MP (media.maxInputPixels).`
    );
  }
  return { format, width, height, pages, hasAlpha: Boolean(metadata.hasAlpha), orientation: metadata.orientation };
}

/** sharp with the pixel limit, sequential reads and the timeout: the only way untrusted bytes are opened. */
export function limitedSharp(input: Buffer): Sharp {
  return sharp(input, { limitInputPixels: limits.maxInputPixels, failOn: 'error', sequentialRead: true }).timeout({ seconds: limits.decodeTimeoutSeconds });
}

/** Bytes buffered per provider answer: one image at the byte limit, base64-encoded, plus room for JSON. */
export function maxAnswerBytes(): number {
  return Math.ceil((limits.maxInputBytes * 4) / 3) + 1024 * 1024;
}

/**
 * Checks the header, then opens the image for decoding with the limits applied. Callers chain sharp
 * operations on the result and must await its output inside their own error handling.
 */
export async function openImage(input: Buffer, what = 'image'): Promise<{ image: Sharp; info: ImageInfo }> {
  const info = await readImageInfo(input, what);
  return { image: limitedSharp(input), info };
}

/** Runs a sharp output step, turning libvips failures (truncated data, timeout, limit) into a refusal. */
export async function decodeStep<T>(step: () => Promise<T>, what = 'image'): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof ImageRejectedError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/timeout/i.test(message)) throw new ImageRejectedError('image_too_large', `Decoding the ${what} took longer than ${limits.decodeTimeoutSeconds} s (media.decodeTimeoutSeconds).`);
    throw new ImageRejectedError('invalid_image', `The ${what} could not be decoded: ${message}`);
  }
}
