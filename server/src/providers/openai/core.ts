/**
 * The OpenAI-shaped image calls shared by `openai` and `azure-openai`: request bodies (JSON generations,
 * multipart edits), response decoding, cost and error mapping. The two provider types only differ in URL,
 * auth header and what goes into `model`.
 */
import { FormData } from 'undici';
import type { z } from 'zod';
import { describeExchange, type HttpClient, type HttpResponse } from '../../http/client';
import { decodeLimits, ImageRejectedError, readImageInfo } from '../../media/decode';
import { AuthenticationError, InvalidRequestError, MalformedResponseError } from '../errors';
import type { EditRequest, GeneratedImage, GenerateRequest, ImageProvider, ProviderCallOptions, ProviderFactoryContext, ProviderResult } from '../types';
import { parseParamsOrThrow } from '../common/params';
import { mapOpenAIError } from './errors';
import { prepareMask, prepareSourceImage } from './images';
import { createOpenAIParamsSchema, FIXED_SIZES, hasFlexibleSizes, type OpenAIParams } from './params';
import { computeCostUsd, estimateCostUsd, type ImageUsage, type PriceTable } from './pricing';

const MAX_EDIT_IMAGES = 16;

export interface OpenAICompatibleTarget {
  name: string;
  type: string;
  http: HttpClient;
  log: ProviderFactoryContext['log'];
  apiKey?: string;
  /** The model behind the calls: validation of sizes, pricing, admin display. */
  model: string;
  /** What to send as `model`: the model (OpenAI), the deployment (Azure v1) or nothing (Azure classic URL). */
  bodyModel(paramsModel: string | undefined): string | undefined;
  paths: { generations: string; edits: string };
  query?: Record<string, string>;
  prices: PriceTable;
}

export interface ImagesResponse {
  created?: number;
  data?: Array<{ b64_json?: unknown; revised_prompt?: unknown }>;
  output_format?: string;
  size?: string;
  quality?: string;
  model?: string;
  usage?: ImageUsage & { total_tokens?: number };
}

const FORMAT_MIME: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', jpg: 'image/jpeg', webp: 'image/webp' };

/** Body fields shared by generations and edits; `model` and `input_fidelity` are handled by the caller. */
export function commonFields(params: OpenAIParams): Record<string, string | number> {
  const { model: _model, input_fidelity: _fidelity, ...rest } = params;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as Record<string, string | number>;
}

async function decodeImages(response: ImagesResponse, requestedFormat: string | undefined, label: string, requestId?: string): Promise<GeneratedImage[]> {
  if (!Array.isArray(response.data) || response.data.length === 0) {
    throw new MalformedResponseError(`${label} answered without any image.`, { requestId });
  }
  return Promise.all(
    response.data.map(async (item) => {
      if (typeof item.b64_json !== 'string' || item.b64_json.length === 0) {
        throw new MalformedResponseError(`${label} answered without image data.`, { requestId });
      }
      // Refuse before allocating: base64 is 4/3 of the bytes it holds.
      if (item.b64_json.length > Math.ceil((decodeLimits().maxInputBytes * 4) / 3) + 4) {
        throw new ImageRejectedError('image_too_large', `${label} sent an image larger than ${Math.round(decodeLimits().maxInputBytes / 1048576)} MB (media.maxInputBytes).`);
      }
      const data = Buffer.from(item.b64_json, 'base64');
      const metadata = await readImageInfo(data, `image from ${label}`).catch((error: unknown) => {
        if (error instanceof ImageRejectedError && error.code === 'image_too_large') throw error;
        throw new MalformedResponseError(`${label} sent image data that is not a readable image.`, { requestId });
      });
      const format = metadata.format ?? response.output_format ?? requestedFormat ?? 'png';
      return {
        data,
        mime: FORMAT_MIME[format] ?? `image/${format}`,
        width: metadata.width,
        height: metadata.height,
        revisedPrompt: typeof item.revised_prompt === 'string' ? item.revised_prompt : undefined,
      };
    })
  );
}

/**
 * The result of an images answer body (a synchronous call's, or one line of a batch output file): images
 * decoded and checked, usage, and the cost from the price table.
 */
export async function resultOfBody(
  body: ImagesResponse,
  context: { params: OpenAIParams; effectiveModel: string; label: string; requestId?: string; prices: PriceTable }
): Promise<ProviderResult> {
  const { params, requestId } = context;
  const images = await decodeImages(body, params.output_format, context.label, requestId);
  const model = typeof body.model === 'string' ? body.model : context.effectiveModel;
  const usage = body.usage
    ? { inputTokens: body.usage.input_tokens, outputTokens: body.usage.output_tokens, totalTokens: body.usage.total_tokens, details: body.usage }
    : undefined;
  const size = body.size ?? (params.size !== 'auto' ? params.size : undefined) ?? (images[0]?.width ? `${images[0].width}x${images[0].height}` : undefined);
  const costUsd = computeCostUsd(context.prices, { model, size, quality: body.quality ?? params.quality, images: images.length, usage: body.usage });
  return { images, model, requestId, usage, costUsd };
}

export function createOpenAICompatibleProvider(target: OpenAICompatibleTarget): ImageProvider {
  const { http, log } = target;
  const secrets = [target.apiKey];
  const paramsSchema = createOpenAIParamsSchema(target.model);
  const flexible = hasFlexibleSizes(target.model);

  const parseParams = (raw: Record<string, unknown>): OpenAIParams => parseParamsOrThrow(paramsSchema, raw);

  function requireKey(): void {
    if (!target.apiKey) throw new AuthenticationError(`${http.label} API key missing: set it in the plugin configuration.`, { providerCode: 'api_key_missing' });
  }

  async function finish(path: string, response: HttpResponse, params: OpenAIParams, effectiveModel: string): Promise<ProviderResult> {
    log.debug(`ai-assets ${target.name}: ${describeExchange('POST', path, response, secrets)}`);
    if (response.status >= 300) throw mapOpenAIError(response, { http, model: effectiveModel, secrets });
    const body = http.json<ImagesResponse>(response);
    if (!body || typeof body !== 'object') {
      throw new MalformedResponseError(`${http.label} sent an answer that is not valid JSON.`, { status: response.status, requestId: response.requestId });
    }
    return { ...(await resultOfBody(body, { params, effectiveModel, label: http.label, requestId: response.requestId, prices: target.prices })), rateLimit: response.rateLimit };
  }

  async function generate(request: GenerateRequest, { signal }: ProviderCallOptions): Promise<ProviderResult> {
    requireKey();
    const params = parseParams(request.params);
    const effectiveModel = params.model ?? target.model;
    const model = target.bodyModel(params.model);
    // No response_format: GPT image models reject it and always answer base64.
    const json = { ...(model ? { model } : {}), prompt: request.prompt, ...commonFields(params) };
    const response = await http.send({ method: 'POST', path: target.paths.generations, query: target.query, json, signal });
    return finish(target.paths.generations, response, params, effectiveModel);
  }

  async function edit(request: EditRequest, { signal }: ProviderCallOptions): Promise<ProviderResult> {
    requireKey();
    const params = parseParams(request.params);
    if (request.images.length === 0) throw new InvalidRequestError('An edit needs a source image.', { providerCode: 'missing_image' });
    if (request.images.length > MAX_EDIT_IMAGES) {
      throw new InvalidRequestError(`An edit accepts at most ${MAX_EDIT_IMAGES} source images.`, { providerCode: 'too_many_images' });
    }
    const effectiveModel = params.model ?? target.model;
    const sources = await Promise.all(request.images.map((image, index) => prepareSourceImage(image, index)));
    const mask = request.mask ? await prepareMask(request.mask, sources[0]) : undefined;

    const form = new FormData();
    const model = target.bodyModel(params.model);
    if (model) form.append('model', model);
    form.append('prompt', request.prompt);
    // `moderation` is only in the JSON edit variant's schema; the multipart form doesn't take it.
    const { moderation: _moderation, ...fields } = commonFields(params);
    for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
    if (params.input_fidelity) form.append('input_fidelity', params.input_fidelity);
    // The official SDK's convention: `image` for one file, repeated `image[]` for several.
    const field = sources.length === 1 ? 'image' : 'image[]';
    for (const source of sources) form.append(field, new Blob([source.data], { type: source.mime }), source.name);
    if (mask) form.append('mask', new Blob([mask.data], { type: 'image/png' }), mask.name);

    const response = await http.send({ method: 'POST', path: target.paths.edits, query: target.query, form, signal });
    return finish(target.paths.edits, response, params, effectiveModel);
  }

  return {
    name: target.name,
    type: target.type,
    model: target.model,
    capabilities: {
      generate: true,
      edit: true,
      mask: true,
      maxImages: 10,
      sizes: flexible
        ? ['auto', ...FIXED_SIZES, 'any WIDTHxHEIGHT: multiples of 16, longest edge <= 3840, ratio <= 3:1, 655,360 to 8,294,400 pixels']
        : ['auto', ...FIXED_SIZES],
      formats: ['png', 'jpeg', 'webp'],
      transparentBackground: true,
    },
    paramsSchema: paramsSchema as unknown as z.ZodType<Record<string, unknown>>,
    generate,
    edit,
    estimateCostUsd: ({ params }) => estimateCostUsd(target.prices, typeof params.model === 'string' ? params.model : target.model, params),
    describe: () => (target.apiKey ? { configured: true } : { configured: false, problem: 'API key missing' }),
  };
}
