/**
 * Fake OpenAI Images API (also the engine of the Azure fake): checks requests the way the real API does
 * (auth, model, response_format, gpt-image-2 size rules, n, multipart image/image[], mask format) and
 * answers with real images made by sharp, usage, x-request-id and rate-limit headers.
 */
import type { ServerResponse } from 'node:http';
import { type Fault, FakeServer, makeImage, type RecordedPart, type RecordedRequest } from './fake-server';
import { isStreamFault, sendImageStream, type StreamFault, type StreamSettings } from './fake-openai-stream';
import { FakeBatchApi } from './fake-openai-batch';

export type OpenAIFault =
  | 'rate_limit'
  | 'rate_limit_date'
  | 'server_error'
  | 'overloaded'
  | 'hang'
  | 'moderation_blocked'
  | 'insufficient_quota'
  | 'org_verification'
  | 'bad_key'
  | 'model_not_found'
  | 'malformed_json'
  | 'truncated_body'
  | 'invalid_mask'
  | 'echo_key'
  /** 400 whose param, code, type and x-request-id all hold the key. */
  | 'echo_key_fields'
  /** A successful answer whose revised_prompt, usage and x-request-id hold the key. */
  | 'echo_key_success'
  /** A successful answer carrying `fault.image` (a Buffer) as its image: bombs, broken files. */
  | 'image_bytes'
  | StreamFault;

export interface FakeOpenAIOptions {
  apiKey?: string;
  /** How the key arrives: OpenAI uses Bearer, Azure `api-key`. */
  auth?: 'bearer' | 'api-key';
  /** Maps a request path to the endpoint, or null for 404. */
  route?: (request: RecordedRequest) => { endpoint: 'generations' | 'edits'; model?: string } | null;
  /** Model (or deployment) names the fake knows, each mapped to the underlying model whose rules apply. */
  models?: Record<string, string>;
}

export const OPENAI_MODELS = ['gpt-image-2', 'gpt-image-2-2026-04-21', 'gpt-image-1.5', 'gpt-image-1-mini', 'gpt-image-1'];
const FIXED = ['1024x1024', '1536x1024', '1024x1536'];

class ApiError extends Error {
  constructor(readonly status: number, readonly body: Record<string, unknown>) {
    super(String(body.message));
  }
}
const invalid = (message: string, param?: string, code: string | null = null) =>
  new ApiError(400, { message, type: 'invalid_request_error', param: param ?? null, code });

function checkSize(size: string, model: string): void {
  if (size === 'auto' || FIXED.includes(size)) return;
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!model.startsWith('gpt-image-2') || !match) throw invalid(`Invalid size '${size}'.`, 'size');
  const [width, height] = [Number(match[1]), Number(match[2])];
  const ok =
    width % 16 === 0 && height % 16 === 0 && Math.max(width, height) <= 3840 && Math.max(width, height) / Math.min(width, height) <= 3 &&
    width * height >= 655_360 && width * height <= 8_294_400;
  if (!ok) throw invalid(`Invalid size '${size}' for ${model}.`, 'size');
}

export class FakeOpenAI extends FakeServer<OpenAIFault> {
  apiKey: string;
  /** Rate-limit headers sent with every answer; tests may change them. */
  rateLimit = { limitRequests: 50, remainingRequests: 49, resetRequests: '1.2s', limitTokens: 100_000, remainingTokens: 99_000, resetTokens: '6m0s' };
  private requestCounter = 0;
  /** When set, answers like OpenAI over its requests-per-minute limit: a sliding window of accepted requests. */
  private enforced: { requestsPerMinute: number; windowMs: number } | null = null;
  /** Arrival times of the requests the enforced limit accepted. */
  private readonly accepted: number[] = [];
  /** Requests refused with 429 by the enforced limit (caused by the client, not injected). */
  readonly limitRefusals: RecordedRequest[] = [];
  /** Streamed answers (`stream: true`, see fake-openai-stream.ts); tests may change them. */
  streaming: StreamSettings = { frameDelayMs: 0 };
  /** `/v1/files` and `/v1/batches` (see fake-openai-batch.ts). */
  readonly batchApi: FakeBatchApi = new FakeBatchApi(this, (res, status, body, headers) => this.sendJson(res, status, body, headers));

  constructor(private readonly options: FakeOpenAIOptions = {}) {
    super();
    this.apiKey = options.apiKey ?? 'sk-test-fake-openai-0123456789abcdef';
  }

  /** Enforce `requestsPerMinute` over any `windowMs` (default one minute), counted at each request's arrival. */
  enforceRateLimit(requestsPerMinute: number, windowMs = 60_000): this {
    this.enforced = { requestsPerMinute, windowMs };
    return this;
  }

  /** Whether the enforced limit admits `request`; answers are given in arrival order (same latency for all). */
  private admit(request: RecordedRequest): { admitted: boolean; remaining: number; resetMs: number } {
    const { requestsPerMinute, windowMs } = this.enforced!;
    const inWindow = this.accepted.filter((at) => at > request.receivedAt - windowMs);
    const admitted = inWindow.length < requestsPerMinute;
    if (admitted) {
      this.accepted.push(request.receivedAt);
      inWindow.push(request.receivedAt);
    } else {
      this.limitRefusals.push(request);
    }
    const resetMs = inWindow.length > 0 ? Math.max(0, inWindow[0] + windowMs - request.receivedAt) : 0;
    return { admitted, remaining: Math.max(0, requestsPerMinute - inWindow.length), resetMs };
  }

  protected async handle(request: RecordedRequest, res: ServerResponse, fault: Fault<OpenAIFault> | undefined, credential: string | undefined) {
    this.requestCounter += 1;
    const headers: Record<string, string> = {
      'x-request-id': `req_fake_${this.requestCounter}`,
      'openai-processing-ms': '42',
      'x-ratelimit-limit-requests': String(this.rateLimit.limitRequests),
      'x-ratelimit-remaining-requests': String(this.rateLimit.remainingRequests),
      'x-ratelimit-reset-requests': this.rateLimit.resetRequests,
      'x-ratelimit-limit-tokens': String(this.rateLimit.limitTokens),
      'x-ratelimit-remaining-tokens': String(this.rateLimit.remainingTokens),
      'x-ratelimit-reset-tokens': this.rateLimit.resetTokens,
    };
    const fail = (status: number, body: Record<string, unknown>, extra: Record<string, string> = {}) => this.sendJson(res, status, { error: body }, { ...headers, ...extra });
    if (this.handleTransportFault(res, fault, headers)) return;
    if (this.enforced && !fault) {
      const { admitted, remaining, resetMs } = this.admit(request);
      headers['x-ratelimit-limit-requests'] = String(this.enforced.requestsPerMinute);
      headers['x-ratelimit-remaining-requests'] = String(remaining);
      headers['x-ratelimit-reset-requests'] = `${(resetMs / 1000).toFixed(3)}s`;
      if (!admitted) {
        const message = `Rate limit reached for requests per minute (RPM): Limit ${this.enforced.requestsPerMinute}, Used ${this.enforced.requestsPerMinute}.`;
        return fail(429, { message, type: 'requests', param: null, code: 'rate_limit_exceeded' }, { 'retry-after': String(Math.max(1, Math.ceil(resetMs / 1000))) });
      }
    }
    try {
      const expected = this.options.auth === 'api-key' ? this.apiKey : `Bearer ${this.apiKey}`;
      if (credential !== expected || fault?.name === 'bad_key') {
        return fail(401, { message: 'Incorrect API key provided: sk-test-***cdef. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
      }
      if (this.batchApi.handles(request.path)) return await this.batchApi.handle(request, res, headers);
      const route = this.options.route ? this.options.route(request) : this.defaultRoute(request);
      if (!route || request.method !== 'POST') return fail(404, { message: `Invalid URL (${request.method} ${request.path})`, type: 'invalid_request_error', param: null, code: null });
      const echoOnSuccess = fault?.name === 'echo_key_success';
      if (fault?.name === 'image_bytes') {
        return this.sendJson(res, 200, { created: 1, data: [{ b64_json: (fault.image as Buffer).toString('base64') }], output_format: 'png' }, headers);
      }
      if (echoOnSuccess) headers['x-request-id'] = `req_${this.apiKey}`;
      if (fault && !echoOnSuccess && !isStreamFault(fault)) return this.answerFault(fault, fail);
      const body = this.readFields(request, route.endpoint);
      const name = route.model ?? String(body.model ?? '');
      if (!name) throw invalid('You must provide a model parameter.', 'model');
      const model = (this.options.models ?? Object.fromEntries(OPENAI_MODELS.map((id) => [id, id])))[name];
      if (!model) {
        throw new ApiError(404, { message: `The model '${name}' does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' });
      }
      if (body.response_format !== undefined) throw invalid("Unknown parameter: 'response_format'.", 'response_format', 'unknown_parameter');
      if (typeof body.prompt !== 'string' || !body.prompt) throw invalid("Missing required parameter: 'prompt'.", 'prompt');
      const n = body.n === undefined ? 1 : Number(body.n);
      if (!Number.isInteger(n) || n < 1 || n > 10) throw invalid(`Invalid 'n': must be between 1 and 10.`, 'n');
      const size = String(body.size ?? 'auto');
      checkSize(size, model);
      const format = String(body.output_format ?? 'png') as 'png' | 'jpeg' | 'webp';
      if (!['png', 'jpeg', 'webp'].includes(format)) throw invalid(`Invalid output_format '${format}'.`, 'output_format');
      if (body.background === 'transparent' && format === 'jpeg') throw invalid('Transparent background requires png or webp.', 'background');
      if (route.endpoint === 'generations' && body.input_fidelity !== undefined) throw invalid("Unknown parameter: 'input_fidelity'.", 'input_fidelity');
      if (model.startsWith('gpt-image-2') && body.input_fidelity !== undefined) throw invalid('input_fidelity is not supported for this model.', 'input_fidelity');

      let [width, height] = size === 'auto' ? [1024, 1024] : size.split('x').map(Number);
      if (route.endpoint === 'edits') {
        const first = this.checkEditParts(request.parts ?? []);
        if (size === 'auto') [width, height] = [first.width, first.height];
      }
      const images = await Promise.all(Array.from({ length: n }, (_, index) => makeImage(width, height, format, index)));
      const quality = String(body.quality ?? 'auto') === 'auto' ? 'medium' : String(body.quality);
      const usage = { input_tokens: 50, output_tokens: 1000 * n, total_tokens: 50 + 1000 * n, input_tokens_details: { text_tokens: 50, image_tokens: 0 } };
      if (body.stream === true || body.stream === 'true') {
        const partials = Number(body.partial_images ?? 0);
        if (!Number.isInteger(partials) || partials < 0 || partials > 3) throw invalid(`Invalid 'partial_images': must be between 0 and 3.`, 'partial_images');
        const answer = { endpoint: route.endpoint, partials, image: images[0], width, height, format, quality, background: body.background === 'transparent' ? 'transparent' : 'opaque', usage };
        return await sendImageStream(res, answer, { headers, settings: this.streaming, fault, later: (ms, action) => this.later(ms, action) });
      }
      this.sendJson(
        res,
        200,
        {
          created: Math.floor(Date.now() / 1000),
          data: images.map((image) => ({
            b64_json: image.toString('base64'),
            ...(echoOnSuccess ? { revised_prompt: `${body.prompt} using ${this.apiKey}` } : model.startsWith('gpt-image-2') ? {} : { revised_prompt: `${body.prompt} (revised)` }),
          })),
          background: body.background === 'transparent' ? 'transparent' : 'opaque',
          output_format: format,
          size: `${width}x${height}`,
          quality,
          usage: { ...usage, ...(echoOnSuccess ? { account: this.apiKey } : {}) },
        },
        headers
      );
    } catch (error) {
      if (error instanceof ApiError) return fail(error.status, error.body);
      throw error;
    }
  }

  private defaultRoute(request: RecordedRequest): { endpoint: 'generations' | 'edits'; model?: string } | null {
    if (request.path === '/v1/images/generations') return { endpoint: 'generations' };
    if (request.path === '/v1/images/edits') return { endpoint: 'edits' };
    return null;
  }

  private readFields(request: RecordedRequest, endpoint: 'generations' | 'edits'): Record<string, unknown> {
    if (endpoint === 'generations') {
      if (!request.json) throw invalid('We could not parse the JSON body of your request.');
      return request.json;
    }
    if (!request.parts) throw invalid('Edits need multipart/form-data.');
    return Object.fromEntries(request.parts.filter((part) => part.value !== undefined).map((part) => [part.name, part.value]));
  }

  /** image (one file) or image[] (many), never both; the mask must be a PNG with alpha the size of the first image. */
  private checkEditParts(parts: RecordedPart[]) {
    const single = parts.filter((part) => part.name === 'image' && part.filename !== undefined);
    const many = parts.filter((part) => part.name === 'image[]' && part.filename !== undefined);
    if ((single.length > 0 && many.length > 0) || single.length > 1) throw invalid('Use image for one file or image[] for several.', 'image');
    const images = single.length ? single : many;
    if (images.length === 0 || images.length > 16) throw invalid('Provide 1 to 16 images.', 'image');
    for (const image of images) {
      if (!image.image || !['png', 'jpeg', 'webp'].includes(image.image.format)) throw invalid('Invalid image file: use png, webp or jpg.', 'image');
    }
    const first = images[0].image!;
    const mask = parts.find((part) => part.name === 'mask');
    if (mask) {
      const info = mask.image;
      if (!info || info.format !== 'png' || !info.hasAlpha || info.width !== first.width || info.height !== first.height) {
        throw new ApiError(400, { message: 'Invalid mask image format - mask image must be a PNG with an alpha channel and the same dimensions as the image.', type: 'image_generation_user_error', param: 'mask', code: 'invalid_mask_image_format' });
      }
    }
    return first;
  }

  private answerFault(fault: Fault<OpenAIFault>, fail: (status: number, body: Record<string, unknown>, extra?: Record<string, string>) => void) {
    const retryAfter: Record<string, string> = {};
    if (fault.retryAfterSeconds !== undefined) retryAfter['retry-after'] = String(fault.retryAfterSeconds);
    if (fault.retryAfterMs !== undefined) retryAfter['retry-after-ms'] = String(fault.retryAfterMs);
    switch (fault.name) {
      case 'rate_limit':
        return fail(429, { message: 'Rate limit reached for gpt-image-2 on images per minute (IPM): Limit 5, Used 5.', type: 'requests', param: null, code: 'rate_limit_exceeded' }, retryAfter);
      case 'rate_limit_date':
        return fail(429, { message: 'Rate limit reached.', type: 'requests', param: null, code: 'rate_limit_exceeded' }, { 'retry-after': new Date(Date.now() + (fault.retryAfterSeconds ?? 30) * 1000).toUTCString() });
      case 'server_error':
        return fail(500, { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null });
      case 'overloaded':
        return fail(503, { message: 'The engine is currently overloaded, please try again later.', type: 'service_unavailable_error', param: null, code: null }, retryAfter);
      case 'moderation_blocked':
        return fail(400, { message: 'Your request was rejected by the safety system.', type: 'image_generation_user_error', param: null, code: 'moderation_blocked', moderation_details: { moderation_stage: (fault.stage as string) ?? 'input', categories: ['violence'] } });
      case 'insufficient_quota':
        return fail(429, { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' });
      case 'org_verification':
        return fail(403, { message: 'Your organization must be verified to use the model `gpt-image-2`. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization.', type: 'invalid_request_error', param: null, code: null });
      case 'model_not_found':
        return fail(404, { message: "The model 'gpt-image-2' does not exist or you do not have access to it.", type: 'invalid_request_error', param: null, code: 'model_not_found' });
      case 'invalid_mask':
        return fail(400, { message: 'Invalid mask image format - mask image must be a PNG with an alpha channel.', type: 'image_generation_user_error', param: 'mask', code: 'invalid_mask_image_format' });
      case 'echo_key':
        // A misbehaving proxy that echoes the full key back: our errors must still never show it.
        return fail(400, { message: `Bad request from key ${this.apiKey} with header Bearer ${this.apiKey}`, type: 'invalid_request_error', param: null, code: null });
      case 'echo_key_fields':
        return fail(400, { message: 'Invalid value.', type: `type_${this.apiKey}`, param: this.apiKey, code: `code_${this.apiKey}` }, { 'x-request-id': this.apiKey });
      default:
        return fail(500, { message: `fake: unknown fault ${fault.name}`, type: 'server_error', param: null, code: null });
    }
  }
}
