/**
 * The OpenAI-shaped image calls shared by `openai` and `azure-openai`: request bodies (JSON generations,
 * multipart edits), response decoding, cost and error mapping. The two provider types only differ in URL,
 * auth header and what goes into `model`.
 */
import { FormData } from 'undici';
import type { z } from 'zod';
import { describeExchange, type HttpClient, type HttpRequest, type HttpResponse } from '../../http/client';
import { decodeLimits, ImageRejectedError, maxAnswerBytes, readImageInfo } from '../../media/decode';
import { AuthenticationError, InvalidRequestError, MalformedResponseError } from '../errors';
import type { EditRequest, GeneratedImage, GenerateRequest, ImageProvider, PartialFrame, ProviderCallOptions, ProviderFactoryContext, ProviderResult } from '../types';
import { parseParamsOrThrow } from '../common/params';
import { mapOpenAIError, mapOpenAIStreamError } from './errors';
import { prepareMask, prepareSourceImage } from './images';
import { createOpenAIParamsSchema, FIXED_SIZES, hasFlexibleSizes, type OpenAIParams } from './params';
import { computeCostUsd, estimateCostUsd, type ImageUsage, type PriceTable } from './pricing';
import { readImageStream } from './stream';

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
  /** Partial frames to stream when a rule's params name none (0 = no streaming). */
  partialImages?: number;
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

/** Body fields shared by generations and edits; `model`, `input_fidelity` and streaming are handled by the caller. */
export function commonFields(params: OpenAIParams): Record<string, string | number> {
  const { model: _model, input_fidelity: _fidelity, partial_images: _partials, ...rest } = params;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as Record<string, string | number>;
}

/** Base64 longer than this holds more than `media.maxInputBytes`: refused before allocating (base64 is 4/3 of its bytes). */
const maxBase64Chars = () => Math.ceil((decodeLimits().maxInputBytes * 4) / 3) + 4;

function tooLarge(label: string, what: string): ImageRejectedError {
  return new ImageRejectedError('image_too_large', `${label} sent ${what} larger than ${Math.round(decodeLimits().maxInputBytes / 1048576)} MB (media.maxInputBytes).`);
}

/** A partial frame checked like a final image (bytes, pixels, readable) before anyone sees it. */
async function decodePartial(b64: string, index: number, label: string, requestId?: string): Promise<PartialFrame> {
  if (b64.length > maxBase64Chars()) throw tooLarge(label, 'a partial image');
  const data = Buffer.from(b64, 'base64');
  const info = await readImageInfo(data, `partial image from ${label}`).catch((error: unknown) => {
    if (error instanceof ImageRejectedError && error.code === 'image_too_large') throw error;
    throw new MalformedResponseError(`${label} sent a partial image that is not a readable image.`, { requestId, providerCode: 'stream_malformed' });
  });
  return { index, data, mime: FORMAT_MIME[info.format ?? 'png'] ?? `image/${info.format}` };
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
      if (item.b64_json.length > maxBase64Chars()) throw tooLarge(label, 'an image');
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

  /**
   * Partial frames this call asks for: the rule's `partial_images`, else the provider's `partialImages`.
   * Never for several images (`n` > 1): a stream ends at its first `completed` image, and the other paid
   * candidates would be lost, so such calls are sent unstreamed.
   */
  const partialsFor = (params: OpenAIParams) => ((params.n ?? 1) > 1 ? 0 : (params.partial_images ?? target.partialImages ?? 0));

  /**
   * Sends the call, streamed when partial frames are asked for, and returns the answer in the synchronous
   * shape. Partial frames go to `onPartial`; they are previews only and never become the result.
   */
  async function call(request: HttpRequest, params: OpenAIParams, effectiveModel: string, onPartial: ProviderCallOptions['onPartial']): Promise<ProviderResult> {
    const partials = partialsFor(params);
    if (partials === 0) return finish(request.path, await http.send(request), params, effectiveModel);
    const context = { http, model: effectiveModel, secrets };
    const answer = await http.stream(
      { ...request, headers: { accept: 'text/event-stream' } },
      (body, requestId) =>
        readImageStream(body, {
          label: http.label,
          requestId,
          maxEventChars: maxBase64Chars() + 64 * 1024,
          mapError: (error) => mapOpenAIStreamError(error, requestId, context),
          onPartial: async (event) => {
            try {
              // A frame that fails its checks is skipped: showing progress must never fail the paid call.
              const frame = await decodePartial(event.b64, event.index, http.label, requestId);
              await onPartial?.(frame);
            } catch (error) {
              log.debug(`ai-assets ${target.name}: a partial frame was not taken: ${(error as Error).message}`);
            }
          },
        }),
      // Every partial frame and the final image, each at most one image's worth of base64.
      maxAnswerBytes() * (partials + 1)
    );
    if (!('kind' in answer)) return finish(request.path, answer, params, effectiveModel);
    log.debug(`ai-assets ${target.name}: POST ${request.path} -> ${answer.status} streamed in ${answer.durationMs} ms${answer.requestId ? ` request ${answer.requestId}` : ''}`);
    return decodeAnswer(answer.value as ImagesResponse, answer, params, effectiveModel);
  }

  async function finish(path: string, response: HttpResponse, params: OpenAIParams, effectiveModel: string): Promise<ProviderResult> {
    log.debug(`ai-assets ${target.name}: ${describeExchange('POST', path, response, secrets)}`);
    if (response.status >= 300) throw mapOpenAIError(response, { http, model: effectiveModel, secrets });
    const body = http.json<ImagesResponse>(response);
    if (!body || typeof body !== 'object') {
      throw new MalformedResponseError(`${http.label} sent an answer that is not valid JSON.`, { status: response.status, requestId: response.requestId });
    }
    return decodeAnswer(body, response, params, effectiveModel);
  }

  async function decodeAnswer(body: ImagesResponse, response: Pick<HttpResponse, 'requestId' | 'rateLimit'>, params: OpenAIParams, effectiveModel: string): Promise<ProviderResult> {
    return { ...(await resultOfBody(body, { params, effectiveModel, label: http.label, requestId: response.requestId, prices: target.prices })), rateLimit: response.rateLimit };
  }

  async function generate(request: GenerateRequest, { signal, onPartial }: ProviderCallOptions): Promise<ProviderResult> {
    requireKey();
    const params = parseParams(request.params);
    const effectiveModel = params.model ?? target.model;
    const model = target.bodyModel(params.model);
    // No response_format: GPT image models reject it and always answer base64.
    const partials = partialsFor(params);
    const json = { ...(model ? { model } : {}), prompt: request.prompt, ...commonFields(params), ...(partials ? { stream: true, partial_images: partials } : {}) };
    return call({ method: 'POST', path: target.paths.generations, query: target.query, json, signal }, params, effectiveModel, onPartial);
  }

  async function edit(request: EditRequest, { signal, onPartial }: ProviderCallOptions): Promise<ProviderResult> {
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
    const partials = partialsFor(params);
    if (partials) {
      form.append('stream', 'true');
      form.append('partial_images', String(partials));
    }
    // The official SDK's convention: `image` for one file, repeated `image[]` for several.
    const field = sources.length === 1 ? 'image' : 'image[]';
    for (const source of sources) form.append(field, new Blob([source.data], { type: source.mime }), source.name);
    if (mask) form.append('mask', new Blob([mask.data], { type: 'image/png' }), mask.name);

    return call({ method: 'POST', path: target.paths.edits, query: target.query, form, signal }, params, effectiveModel, onPartial);
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
