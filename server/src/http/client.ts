/**
 * A small undici client for provider APIs: one keep-alive pool per provider, a per-request time cap combined
 * with the caller's AbortSignal, and typed errors for transport failures.
 *
 * It NEVER retries: a POST that may have reached the provider could be billed, so repeating it is the job
 * queue's decision (counted on the job), not the transport's.
 */
import { Agent, type Dispatcher, type FormData, request } from 'undici';
import { AbortedError, MalformedResponseError } from '../providers/errors';
import { maxAnswerBytes } from '../media/decode';
import { errorForFailure, redact } from './errors';
import {
  exhaustedWindowResetMs,
  normalizeHeaders,
  parseRateLimitHeaders,
  parseRetryAfterMs,
  type RateLimitInfo,
  type ResponseHeaders,
} from './headers';

export const DEFAULT_TIMEOUT_MS = 300_000;
const REQUEST_ID_HEADERS = ['x-request-id', 'apim-request-id', 'x-ms-request-id'];

/**
 * Keep-alive pool whose own header/body timeouts are raised to the provider's timeout: undici's 5-minute
 * defaults would otherwise cut long high-quality generations short.
 */
export function createDefaultDispatcher(timeoutMs: number = DEFAULT_TIMEOUT_MS): Dispatcher {
  return new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connections: 16 });
}

export interface HttpClientOptions {
  baseUrl: string;
  /** Provider name used in error sentences, e.g. "OpenAI". */
  label: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  /** Sent with every request (auth, organization). */
  headers?: Record<string, string>;
  /** Values that must never appear in an error (API keys). */
  secrets?: ReadonlyArray<string | undefined>;
  /** Default: what one image at `media.maxInputBytes` takes in base64 (read per call, so config applies). */
  maxResponseBytes?: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Relative to the base URL; may carry a query string. */
  path: string;
  query?: Record<string, string | undefined>;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
  requestId?: string;
  rateLimit?: RateLimitInfo;
  /** From retry-after(-ms), or on 429 from the reset of an exhausted x-ratelimit window. */
  retryAfterMs?: number;
  durationMs: number;
}

/** A successful event-stream answer handed to a reader as it arrives (see `HttpClient.stream`). */
export interface StreamedAnswer<T> {
  kind: 'streamed';
  value: T;
  status: number;
  requestId?: string;
  rateLimit?: RateLimitInfo;
  durationMs: number;
}

export interface HttpClient {
  readonly baseUrl: string;
  readonly label: string;
  /** Resolves for every HTTP status; rejects only with typed ProviderErrors (transport, timeout, abort). */
  send(request: HttpRequest): Promise<HttpResponse>;
  /**
   * Like `send`, but a 2xx `text/event-stream` answer is given to `read` chunk by chunk (at most `maxBytes` in
   * all) instead of being buffered. Any other answer (an error status, or a server that ignored the stream
   * request and sent JSON) comes back buffered, as from `send`. The time cap covers the whole stream.
   */
  stream<T>(request: HttpRequest, read: (body: AsyncIterable<Buffer>, requestId: string | undefined) => Promise<T>, maxBytes: number): Promise<HttpResponse | StreamedAnswer<T>>;
  /** Parses a JSON body or returns undefined (the caller decides whether that is malformed). */
  json<T = unknown>(response: HttpResponse): T | undefined;
}

/** Joins a base URL (with or without trailing slash) and a relative path. */
export function joinUrl(baseUrl: string, path: string, query?: Record<string, string | undefined>): URL {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const url = new URL(path.replace(/^\/+/, ''), base);
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
  return url;
}

/** The body's chunks, failing once more than `maxBytes` arrived in all. */
async function* limited(body: AsyncIterable<Buffer>, maxBytes: number, label: string): AsyncIterable<Buffer> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new MalformedResponseError(`${label} sent an answer larger than ${Math.round(maxBytes / 1048576)} MB.`, { providerCode: 'response_too_large' });
    }
    yield chunk;
  }
}

async function readLimited(body: AsyncIterable<Buffer>, maxBytes: number, label: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of limited(body, maxBytes, label)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const timeoutDefault = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const dispatcher = options.dispatcher ?? createDefaultDispatcher(timeoutDefault);
  const secrets = options.secrets ?? [];
  const label = options.label;

  type Streaming<T> = { read: (body: AsyncIterable<Buffer>, requestId: string | undefined) => Promise<T>; maxBytes: number };

  async function exchange<T>(input: HttpRequest, streaming?: Streaming<T>): Promise<HttpResponse | StreamedAnswer<T>> {
    if (input.signal?.aborted) throw new AbortedError('The request was canceled before it finished.');
    const timeoutMs = input.timeoutMs ?? timeoutDefault;
    const controller = new AbortController();
    let reason: 'aborted' | 'timeout' | undefined;
    const onAbort = () => {
      reason ??= 'aborted';
      controller.abort();
    };
    input.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      reason ??= 'timeout';
      controller.abort();
    }, timeoutMs);
    const started = Date.now();
    let receivedHeaders = false;
    let requestId: string | undefined;

    try {
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...input.headers };
      let body: string | FormData | undefined;
      if (input.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(input.json);
      } else if (input.form) {
        body = input.form; // undici sets the multipart boundary itself
      }
      const response = await request(joinUrl(options.baseUrl, input.path, input.query), {
        method: input.method,
        headers,
        body,
        signal: controller.signal,
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      receivedHeaders = true;
      const responseHeaders = normalizeHeaders(response.headers);
      requestId = REQUEST_ID_HEADERS.map((name) => responseHeaders[name]).find(Boolean);
      const rateLimit = parseRateLimitHeaders(responseHeaders);
      const isEventStream = (responseHeaders['content-type'] ?? '').startsWith('text/event-stream');
      if (streaming && response.statusCode < 300 && isEventStream) {
        const value = await streaming.read(limited(response.body, streaming.maxBytes, label), requestId);
        return { kind: 'streamed', value, status: response.statusCode, requestId, rateLimit, durationMs: Date.now() - started };
      }
      const data = await readLimited(response.body, options.maxResponseBytes ?? maxAnswerBytes(), label);
      let retryAfterMs = parseRetryAfterMs(responseHeaders);
      if (retryAfterMs === undefined && response.statusCode === 429) retryAfterMs = exhaustedWindowResetMs(rateLimit);
      return { status: response.statusCode, headers: responseHeaders, body: data, requestId, rateLimit, retryAfterMs, durationMs: Date.now() - started };
    } catch (error) {
      throw errorForFailure(error, { label, reason, timeoutMs, receivedHeaders, secrets, requestId });
    } finally {
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    baseUrl: options.baseUrl,
    label,
    send: (input) => exchange(input) as Promise<HttpResponse>,
    stream: (input, read, maxBytes) => exchange(input, { read, maxBytes }),
    json<T>(response: HttpResponse): T | undefined {
      try {
        return JSON.parse(response.body.toString('utf8')) as T;
      } catch {
        return undefined;
      }
    },
  };
}

/** For log lines: method, path without query values that could carry tokens, status, duration. */
export function describeExchange(method: string, path: string, response: HttpResponse, secrets: ReadonlyArray<string | undefined>): string {
  const id = response.requestId ? ` request ${response.requestId}` : '';
  return redact(`${method} ${path.split('?')[0]} -> ${response.status} in ${response.durationMs} ms${id}`, secrets);
}
