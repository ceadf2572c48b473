/**
 * The one place every provider (built-in or custom) answers through, applied by the registry: results and
 * errors are redacted with the instance's own secrets, and retry hints longer than `maxRetryAfterMs` are
 * dropped, so the error stays a plain retryable one on the usual backoff and cannot pause the provider for
 * hours (or throw "Invalid time value" when turned into a date).
 */
import { redactDeep, type Secrets } from '../utils/redact';
import { ProviderError } from './errors';
import { redactError, redactResult } from './redaction';
import { wrapCalls } from './wrap-calls';
import type { GenerateRequest, ImageProvider, ProviderCallOptions, ProviderResult } from './types';

export interface AnswerGuardOptions {
  secrets: Secrets;
  maxRetryAfterMs: number;
}

const believable = (ms: unknown, max: number): ms is number => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= max;

export function capRetryHints(error: unknown, maxRetryAfterMs: number): unknown {
  if (error instanceof ProviderError && error.retryAfterMs !== undefined && !believable(error.retryAfterMs, maxRetryAfterMs)) {
    Object.defineProperty(error, 'retryAfterMs', { value: undefined, enumerable: true });
  }
  return error;
}

function capWindows(result: ProviderResult, maxRetryAfterMs: number): ProviderResult {
  if (!result.rateLimit) return result;
  const rateLimit = Object.fromEntries(
    Object.entries(result.rateLimit).map(([kind, window]) => [kind, believable(window.resetMs, maxRetryAfterMs) ? window : { ...window, resetMs: undefined }])
  );
  return { ...result, rateLimit };
}

export function guardAnswers(provider: ImageProvider, options: AnswerGuardOptions): ImageProvider {
  const { secrets, maxRetryAfterMs } = options;
  async function run<R extends GenerateRequest>(call: (request: R, callOptions: ProviderCallOptions) => Promise<ProviderResult>, request: R, callOptions: ProviderCallOptions) {
    try {
      return capWindows(redactResult(await call(request, callOptions), secrets), maxRetryAfterMs);
    } catch (error) {
      throw capRetryHints(redactError(error, secrets), maxRetryAfterMs);
    }
  }
  return wrapCalls(provider, run, {
    describe: () => redactDeep(provider.describe(), secrets),
    ...(provider.handleCallback
      ? { handleCallback: (input: Parameters<NonNullable<ImageProvider['handleCallback']>>[0]) => redactDeep(provider.handleCallback!(input), secrets) }
      : {}),
  });
}
