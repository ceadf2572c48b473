/**
 * `local`: the offline, deterministic, embedded default provider. Renders with sharp; no key, no network.
 * Same contract as the network providers, so nothing downstream special-cases it.
 */
import sharp from 'sharp';
import { decodeStep, openImage } from '../../media/decode';
import { z } from 'zod';
import { abortableSleep, throwIfAborted } from '../../utils/abort';
import { InvalidRequestError } from '../errors';
import { parseSize } from '../common/size';
import type { EditRequest, GenerateRequest, ImageInput, ImageProvider, ProviderCallOptions, ProviderResult, ProviderType } from '../types';
import { artworkSeed, paletteFor, prng, renderArtworkLayers, wrapText } from './artwork';

const MAX_EDGE = 4096;
/** Images one call may return (`params.n`), as many as OpenAI's GPT Image allows. */
const MAX_IMAGES = 10;
/** The soft background is rendered at a quarter size and scaled up: same look, a fraction of the blur cost. */
const BACKGROUND_SCALE = 0.25;

export const localParamsSchema = z
  .object({
    size: z
      .string()
      .refine((value) => value === 'auto' || parseSize(value) !== null, 'must be "auto" or "WIDTHxHEIGHT", e.g. "1536x1024"')
      .refine((value) => {
        const size = parseSize(value);
        return !size || (size.width >= 16 && size.height >= 16 && size.width <= MAX_EDGE && size.height <= MAX_EDGE);
      }, `each edge must be between 16 and ${MAX_EDGE} pixels`)
      // No default here: generate renders 1024x1024, edit keeps the source's size.
      .optional(),
    seed: z.number().int().min(0).default(0),
    /** Text drawn on the image; defaults to none (use `{{title}}` in the prompt's rule to pass one). */
    title: z.string().max(300).optional(),
    /** Simulated provider latency, for demos and tests of in-flight behaviour. */
    delayMs: z.number().int().min(0).max(600_000).default(0),
    /** Blurred in-progress frames shown while `delayMs` runs (like OpenAI's `partial_images`); 0 = none. */
    partial_images: z.number().int().min(0).max(3).default(2),
    // Accepted for drop-in compatibility with OpenAI-shaped rules; the local renderer ignores them.
    quality: z.string().optional(),
    background: z.string().optional(),
    /** Candidates: n distinct images, each deterministic (the first is the one n: 1 makes). */
    n: z.number().int().min(1).max(MAX_IMAGES).optional(),
  })
  .strict();

/** Width of a partial frame: a preview, not an image anyone keeps. */
const PARTIAL_WIDTH = 256;

/**
 * Waits `delayMs` in all, sending `count` progressively sharper (less blurred) frames of the finished image
 * along the way, so the admin's live preview can be watched without a network provider.
 */
async function waitShowingPartials(finished: Buffer, params: { delayMs: number; partial_images: number }, options: ProviderCallOptions): Promise<void> {
  // Without a delay there is nothing to watch: no frames, no extra work.
  const count = options.onPartial && params.delayMs > 0 ? params.partial_images : 0;
  const step = params.delayMs / (count + 1);
  for (let index = 0; index < count; index += 1) {
    await abortableSleep(step, options.signal);
    const sigma = 24 / (index + 1) ** 2;
    const frame = await sharp(finished).resize({ width: PARTIAL_WIDTH }).blur(sigma).png().toBuffer();
    await options.onPartial?.({ index, data: frame, mime: 'image/png' });
  }
  await abortableSleep(step, options.signal);
}

function resolveSize(size: string | undefined, fallback: { width: number; height: number }) {
  return !size || size === 'auto' ? fallback : (parseSize(size) as { width: number; height: number });
}

/** Params are validated when jobs are created; a bad one here is a request error, never retried. */
function parseParams(params: Record<string, unknown>) {
  const parsed = localParamsSchema.safeParse(params);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidRequestError(`Invalid params.${issue.path.join('.')}: ${issue.message}`);
}

/**
 * The seed of the `index`-th image of one call: the first keeps the rule's seed (so n: 1 is unchanged), the others
 * get seeds no other call's first image uses by accident of `seed + 1`.
 */
export function candidateSeed(seed: number, index: number): number {
  return index === 0 ? seed : artworkSeed(`candidate ${index}`, seed);
}

async function renderOne(prompt: string, seed: number, title: string | undefined, width: number, height: number): Promise<Buffer> {
  const layers = renderArtworkLayers({ width, height, prompt, seed, title }, BACKGROUND_SCALE);
  // Rasterize first: resizing the SVG itself would make sharp re-render it at full density.
  const small = await sharp(Buffer.from(layers.background)).raw().toBuffer({ resolveWithObject: true });
  const background = await sharp(small.data, { raw: small.info }).resize(width, height, { kernel: 'cubic' }).png().toBuffer();
  return sharp(background)
    .composite(layers.text ? [{ input: Buffer.from(layers.text) }] : [])
    .png({ compressionLevel: 6, adaptiveFiltering: false })
    .toBuffer();
}

async function generate(request: GenerateRequest, options: ProviderCallOptions): Promise<ProviderResult> {
  const { signal } = options;
  const params = parseParams(request.params);
  const { width, height } = resolveSize(params.size, { width: 1024, height: 1024 });
  const count = params.n ?? 1;
  const images = [];
  for (let index = 0; index < count; index += 1) {
    images.push({ data: await renderOne(request.prompt, candidateSeed(params.seed, index), params.title, width, height), mime: 'image/png', width, height });
    throwIfAborted(signal);
  }
  await waitShowingPartials(images[0].data, params, options);
  throwIfAborted(signal);
  return { images, model: 'local-artwork-1', usage: { images: count }, costUsd: 0 };
}

/** Deterministic edit: fit the source to size, tint it with the prompt's palette and caption it. */
async function edit(request: EditRequest, options: ProviderCallOptions): Promise<ProviderResult> {
  const { signal } = options;
  const params = parseParams(request.params);
  const source = request.images[0];
  if (!source) throw new InvalidRequestError('An edit needs a source image.');

  const { image: sourceImage, info: sourceInfo } = await openImage(source.data, 'source image');
  const { width, height } = resolveSize(params.size, { width: sourceInfo.width, height: sourceInfo.height });
  const base = await decodeStep(() => sourceImage.rotate().resize(width, height, { fit: 'cover' }).removeAlpha().png().toBuffer(), 'source image');

  const caption = wrapText(params.title ?? request.prompt, Math.max(12, Math.floor(width / 22)), 2);
  const fontSize = Math.max(12, Math.round(Math.min(width, height) * 0.05));
  const images = [];
  for (let index = 0; index < (params.n ?? 1); index += 1) {
    const palette = paletteFor(prng(artworkSeed(request.prompt, candidateSeed(params.seed, index))));
    images.push({ data: await editOne(base, request.mask, palette.accentHue, caption, fontSize, width, height), mime: 'image/png', width, height });
    throwIfAborted(signal);
  }
  await waitShowingPartials(images[0].data, params, options);
  throwIfAborted(signal);
  return { images, model: 'local-artwork-1', usage: { images: images.length }, costUsd: 0 };
}

/** One tinted, captioned variant of `base`, masked like OpenAI's edits when a mask is given. */
async function editOne(base: Buffer, mask: ImageInput | undefined, accentHue: number, caption: string[], fontSize: number, width: number, height: number): Promise<Buffer> {
  const overlay = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect width="100%" height="100%" fill="hsl(${Math.round(accentHue)}, 70%, 50%)" fill-opacity="0.28"/>` +
      `<rect y="${height - fontSize * (caption.length * 1.3 + 1)}" width="100%" height="${fontSize * (caption.length * 1.3 + 1)}" fill="#000" fill-opacity="0.45"/>` +
      caption
        .map(
          (line, index) =>
            `<text x="${fontSize}" y="${height - fontSize * (caption.length * 1.3 + 0.2) + fontSize * 1.3 * (index + 1)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="${fontSize}" fill="#fff">${line.replace(/[<>&]/g, ' ')}</text>`
        )
        .join('') +
      `</svg>`
  );
  let edited = await sharp(base).composite([{ input: overlay, blend: 'over' }]).removeAlpha().png().toBuffer();

  if (mask) {
    // OpenAI convention: transparent mask pixels mark where to edit; keep the original everywhere else.
    const { image: maskImage } = await openImage(mask.data, 'mask');
    const editAlpha = await decodeStep(() => maskImage.resize(width, height, { fit: 'fill' }).ensureAlpha().extractChannel(3).negate().toBuffer(), 'mask');
    const editedWithAlpha = await sharp(edited).joinChannel(editAlpha).png().toBuffer();
    edited = await sharp(base).composite([{ input: editedWithAlpha, blend: 'over' }]).removeAlpha().png().toBuffer();
  }
  return edited;
}

export const localProviderType: ProviderType = {
  type: 'local',
  optionsSchema: z.object({}).strict(),
  create({ name }): ImageProvider {
    return {
      name,
      type: 'local',
      model: 'local-artwork-1',
      capabilities: {
        generate: true,
        edit: true,
        mask: true,
        maxImages: MAX_IMAGES,
        sizes: ['auto', `any WIDTHxHEIGHT from 16 to ${MAX_EDGE} pixels per edge`],
        formats: ['png'],
        transparentBackground: false,
      },
      paramsSchema: localParamsSchema as unknown as z.ZodType<Record<string, unknown>>,
      generate,
      edit,
      estimateCostUsd: () => 0,
      describe: () => ({ configured: true }),
    };
  },
};
