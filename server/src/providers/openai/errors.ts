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

export function mapOpenAIError(
  response: HttpResponse,
  context: { http: HttpClient; model: string; secrets: ReadonlyArray<string | undefined> }
): ProviderError {
  const label = context.http.label;
  const envelope = context.http.json<ErrorEnvelope>(response)?.error;
  const code = asString(envelope?.code);
  const type = asString(envelope?.type);
  const message = asString(envelope?.message) ?? '';
  const innerCode = asString(envelope?.innererror?.code);
  const detail = providerMessageSuffix(message, context.secrets);
  const options = {
    status: response.status,
    requestId: response.requestId,
    retryAfterMs: response.retryAfterMs,
    providerCode: code ?? type,
  };
  const status = response.status;

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
