/** Redacting what a provider answers: results, errors (every string field, causes), log lines. */
import { redact, redactDeep, type Secrets } from '../utils/redact';
import { ModerationBlockedError, NonRetryableError, ProviderError } from './errors';
import type { ProviderFactoryContext, ProviderResult } from './types';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** A plain copy of a cause chain: names, codes and redacted messages only (no sockets, no request objects). */
function safeCause(cause: unknown, secrets: Secrets, depth = 0): Error | undefined {
  if (cause === undefined || cause === null || depth > 3) return undefined;
  const copy = new Error(redact(cause instanceof Error ? cause.message : String(cause), secrets));
  copy.name = cause instanceof Error ? cause.name : 'Error';
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code?: string }).code = redact(code, secrets);
  const inner = safeCause((cause as { cause?: unknown }).cause, secrets, depth + 1);
  if (inner) (copy as Error & { cause?: unknown }).cause = inner;
  return copy;
}

/** The same error with every string field redacted; the class (and so the retry decision) is kept. */
export function redactError(error: unknown, secrets: Secrets): unknown {
  if (!(error instanceof Error)) return new Error(redact(String(error), secrets));
  const target = error as Writable<ProviderError> & { cause?: unknown };
  target.message = redact(error.message, secrets);
  if (error.stack) target.stack = redact(error.stack, secrets);
  if (error instanceof ProviderError || error instanceof NonRetryableError) {
    for (const field of ['requestId', 'providerCode'] as const) {
      const value = (target as Record<string, unknown>)[field];
      if (typeof value === 'string') Object.defineProperty(target, field, { value: redact(value, secrets), enumerable: true });
    }
  }
  if (error instanceof ModerationBlockedError) {
    Object.defineProperty(target, 'moderation', { value: redactDeep(error.moderation, secrets), enumerable: true });
  }
  if ('cause' in target && target.cause !== undefined) target.cause = safeCause(target.cause, secrets);
  return error;
}

export function redactResult(result: ProviderResult, secrets: Secrets): ProviderResult {
  return {
    ...redactDeep({ ...result, images: [] }, secrets),
    images: (result.images ?? []).map((image) => ({ ...redactDeep({ ...image, data: undefined }, secrets), data: image.data })),
  };
}

export function redactingLog(log: ProviderFactoryContext['log'], secrets: Secrets): ProviderFactoryContext['log'] {
  return {
    debug: (message) => log.debug(redact(String(message), secrets)),
    info: (message) => log.info(redact(String(message), secrets)),
    warn: (message) => log.warn(redact(String(message), secrets)),
    error: (message) => log.error(redact(String(message), secrets)),
  };
}
