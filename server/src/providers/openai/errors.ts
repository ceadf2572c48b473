/**
 * OpenAI (and Azure OpenAI) error answers -> typed errors, per the spec's error table. Sentences are for
 * editors; the provider's own message is appended (secret-free) for operators.
 */
import type { HttpClient, HttpResponse } from '../../http/client';
import { errorForStatus, providerMessageSuffix } from '../../http/errors';
import {
  InvalidRequestError,
  ModelNotFoundError,
  ModerationBlockedError,
  PermissionDeniedError,
  type ProviderError,
  QuotaExceededError,
} from '../errors';

interface ErrorEnvelope {
  error?: {
    message?: unknown;
    type?: unknown;
    code?: unknown;
    param?: unknown;
    moderation_details?: { moderation_stage?: unknown; categories?: unknown };
    innererror?: { code?: unknown; content_filter_results?: Record<string, { filtered?: boolean }> };
  };
}

const asString = (value: unknown) => (typeof value === 'string' ? value : undefined);
const MODERATION_CODES = new Set(['moderation_blocked', 'content_policy_violation', 'content_filter', 'contentfilter', 'responsibleaipolicyviolation']);

function moderationCategories(envelope: NonNullable<ErrorEnvelope['error']>): string[] | undefined {
  const categories = envelope.moderation_details?.categories;
  if (Array.isArray(categories)) return categories.filter((item): item is string => typeof item === 'string');
  // Azure reports its content filter per category.
  const filtered = Object.entries(envelope.innererror?.content_filter_results ?? {})
    .filter(([, result]) => result?.filtered)
    .map(([category]) => category);
  return filtered.length ? filtered : undefined;
}

interface ErrorContext {
  http: Pick<HttpClient, 'label'>;
  model: string;
  secrets: ReadonlyArray<string | undefined>;
}

export function mapOpenAIError(response: HttpResponse, context: ErrorContext & { http: HttpClient }): ProviderError {
  const envelope = context.http.json<ErrorEnvelope>(response)?.error;
  return mapOpenAIErrorObject(envelope, { status: response.status, requestId: response.requestId, retryAfterMs: response.retryAfterMs }, context);
}

/**
 * The HTTP status an error sent inside a stream (answer already 200) would have had, read from its type and
 * code, so it maps to the same kinds (and the same retry decision) as a synchronous error answer.
 */
function statusOfStreamError(error: NonNullable<ErrorEnvelope['error']>): number {
  const text = `${asString(error.type) ?? ''} ${asString(error.code) ?? ''}`.toLowerCase();
  // Rate-limit errors carry type "requests" or "tokens"; quota ones are told apart later by their code.
  if (/rate_limit|insufficient_quota|billing|^requests|^tokens/.test(text)) return 429;
  if (/service_unavailable|overloaded/.test(text)) return 503;
  if (/invalid_request|user_error|moderation|invalid_/.test(text)) return 400;
  if (/auth|api_key/.test(text)) return 401;
  return 500;
}

/** An `error` event of an image stream -> the same typed errors as a synchronous error answer. */
export function mapOpenAIStreamError(error: Record<string, unknown>, requestId: string | undefined, context: ErrorContext): ProviderError {
  const envelope = error as NonNullable<ErrorEnvelope['error']>;
  return mapOpenAIErrorObject(envelope, { status: statusOfStreamError(envelope), requestId }, context);
}

function mapOpenAIErrorObject(
  envelope: ErrorEnvelope['error'],
  answer: { status: number; requestId?: string; retryAfterMs?: number },
  context: ErrorContext
): ProviderError {
  const label = context.http.label;
  const code = asString(envelope?.code);
  const type = asString(envelope?.type);
  const message = asString(envelope?.message) ?? '';
  const innerCode = asString(envelope?.innererror?.code);
  const detail = providerMessageSuffix(message, context.secrets);
  const options = {
    status: answer.status,
    requestId: answer.requestId,
    retryAfterMs: answer.retryAfterMs,
    providerCode: code ?? type,
  };
  const status = answer.status;

  if ([code, innerCode].some((value) => value && MODERATION_CODES.has(value.toLowerCase()))) {
    const stage = asString(envelope?.moderation_details?.moderation_stage);
    const categories = envelope ? moderationCategories(envelope) : undefined;
    const where = stage === 'output' ? 'the generated image' : stage === 'input' ? 'the prompt or input image' : 'the request';
    const about = categories?.length ? ` (${categories.join(', ')})` : '';
    return new ModerationBlockedError(`${label}'s safety system blocked ${where}${about}. Change the prompt or image; this is not retried.`, { stage, categories }, options);
  }
  if (code === 'invalid_mask_image_format') {
    return new InvalidRequestError(`${label} refused the mask: it must be a PNG with transparency, the same size as the image.${detail}`, options);
  }
  if (code === 'insufficient_quota' || code === 'billing_hard_limit_reached') {
    return new QuotaExceededError(`The ${label} account has run out of credit or reached its billing limit. Add credit, then retry the job.`, { ...options, retryAfterMs: undefined });
  }
  if (status === 403 && /verif/i.test(message)) {
    return new PermissionDeniedError(
      `Your ${label} organization must be verified before it can use GPT image models (Settings > Organization > Verify on the OpenAI platform).`,
      options
    );
  }
  if (code === 'model_not_found' || code === 'DeploymentNotFound' || (status === 404 && /model|deployment/i.test(message))) {
    return new ModelNotFoundError(`${label} does not offer the model "${context.model}" (unknown, retired or not deployed). Check the model setting.`, options);
  }
  if (status === 400 || status === 422) {
    const param = asString(envelope?.param);
    return new InvalidRequestError(`${label} rejected the request${param ? ` (parameter "${param}")` : ''}.${detail}`, options);
  }
  return errorForStatus(status, label, detail, options);
}
