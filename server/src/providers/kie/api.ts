/**
 * kie.ai task API calls and their error classification. kie reports most errors inside HTTP 200 bodies,
 * so the body `code` is classified first and the HTTP status only when the body says nothing.
 */
import type { HttpClient, HttpResponse } from '../../http/client';
import { errorForStatus, providerMessageSuffix } from '../../http/errors';
import {
  AuthenticationError,
  InvalidRequestError,
  MalformedResponseError,
  ModelNotFoundError,
  ModerationBlockedError,
  OverloadedError,
  type ProviderError,
  type ProviderErrorOptions,
  QuotaExceededError,
  RateLimitedError,
  ServerError,
  UnsupportedOperationError,
} from '../errors';

const LABEL = 'kie.ai';

export interface KieEnvelope<T> {
  code?: unknown;
  msg?: unknown;
  data?: T | null;
}

export interface KieRecord {
  taskId?: string;
  model?: string;
  state?: 'waiting' | 'queuing' | 'generating' | 'success' | 'fail' | string;
  resultJson?: string | null;
  failCode?: string | number | null;
  failMsg?: string | null;
  costTime?: number | null;
}

/** Safety refusals surface as failed tasks with a message; there is no stable code for them. */
const MODERATION_MESSAGE = /content polic|moderat|safety|nsfw|sensitive|inappropriate|violat/i;

/** One place for the meaning of kie's codes (spec: 401, 402, 404, 422, 429, 433, 455, 500, 501, 505). */
export function errorForKieCode(code: number, message: string, secrets: ReadonlyArray<string | undefined>, options: ProviderErrorOptions = {}): ProviderError {
  const detail = providerMessageSuffix(message, secrets);
  const withCode = { ...options, providerCode: String(code) };
  if (MODERATION_MESSAGE.test(message) && (code === 400 || code === 422 || code === 501)) {
    return new ModerationBlockedError(`kie.ai's safety system blocked the request. Change the prompt or image; this is not retried.${detail}`, {}, withCode);
  }
  switch (code) {
    case 401:
      return new AuthenticationError(`kie.ai rejected the API key. Check the key in the plugin configuration.${detail}`, withCode);
    case 402:
      return new QuotaExceededError('The kie.ai account has run out of credits. Add credits, then retry the job.', withCode);
    case 404:
      return new ModelNotFoundError(`kie.ai could not find the model or task. Check the model settings.${detail}`, withCode);
    case 400:
    case 422:
      return new InvalidRequestError(`kie.ai rejected the request.${detail}`, withCode);
    case 429:
      return new RateLimitedError(`kie.ai is rate limiting requests.${detail}`, withCode);
    case 433:
      return new QuotaExceededError(`The kie.ai sub-key has reached its usage limit. Raise the limit, then retry the job.${detail}`, withCode);
    case 455:
      return new OverloadedError(`kie.ai is under maintenance.${detail}`, withCode);
    case 501:
      return new ServerError(`kie.ai could not generate the image.${detail}`, withCode);
    case 505:
      return new UnsupportedOperationError(`This kie.ai feature is disabled for the account.${detail}`, withCode);
    default:
      return code >= 500 ? new ServerError(`kie.ai had an internal error.${detail}`, withCode) : new InvalidRequestError(`kie.ai refused the request (code ${code}).${detail}`, withCode);
  }
}

/** Parses an answer, throwing the typed error for any non-success body code or HTTP status. */
export function readEnvelope<T>(http: HttpClient, response: HttpResponse, secrets: ReadonlyArray<string | undefined>): T {
  const envelope = http.json<KieEnvelope<T>>(response);
  const options = { status: response.status, requestId: response.requestId, retryAfterMs: response.retryAfterMs };
  const code = typeof envelope?.code === 'number' ? envelope.code : Number(envelope?.code);
  const message = typeof envelope?.msg === 'string' ? envelope.msg : '';
  if (envelope && Number.isFinite(code) && code !== 200) throw errorForKieCode(code, message, secrets, options);
  if (response.status >= 300) throw errorForStatus(response.status, LABEL, providerMessageSuffix(message, secrets), options);
  if (!envelope || typeof envelope !== 'object' || envelope.data === undefined || envelope.data === null) {
    throw new MalformedResponseError('kie.ai sent an answer that could not be read.', options);
  }
  return envelope.data;
}

/** A failed task's failCode/failMsg as a typed error. */
export function errorForFailedTask(record: KieRecord, secrets: ReadonlyArray<string | undefined>): ProviderError {
  const message = record.failMsg ?? '';
  const code = Number(record.failCode);
  const options = { requestId: record.taskId };
  if (MODERATION_MESSAGE.test(message)) {
    return new ModerationBlockedError(`kie.ai's safety system blocked the image. Change the prompt or image; this is not retried.${providerMessageSuffix(message, secrets)}`, {}, { ...options, providerCode: record.failCode ? String(record.failCode) : 'fail' });
  }
  if (Number.isFinite(code) && code > 0) return errorForKieCode(code, message, secrets, options);
  return new ServerError(`kie.ai could not generate the image.${providerMessageSuffix(message, secrets)}`, { ...options, providerCode: 'fail' });
}

export function resultUrlsOf(record: KieRecord): string[] {
  try {
    const parsed = JSON.parse(record.resultJson ?? '') as { resultUrls?: unknown };
    const urls = Array.isArray(parsed.resultUrls) ? parsed.resultUrls.filter((url): url is string => typeof url === 'string') : [];
    if (urls.length > 0) return urls;
  } catch {
    // fall through to the typed error below
  }
  throw new MalformedResponseError('kie.ai finished the task without a result image.', { requestId: record.taskId });
}
