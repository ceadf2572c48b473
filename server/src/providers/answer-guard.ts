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
import type { ProviderBatchApi } from './batch-types';
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

/** A batch line's result or reason reaches the job exactly as redacted as a synchronous answer. */
function guardBatch(batch: ProviderBatchApi, secrets: Secrets): ProviderBatchApi {
  const redacting = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await call(...args);
    } catch (error) {
      throw redactError(error, secrets);
    }
  };
  return {
    ...batch,
    upload: redacting(batch.upload.bind(batch)),
    create: redacting(batch.create.bind(batch)),
    findByMetadata: redacting(batch.findByMetadata.bind(batch)),
    retrieve: redacting(batch.retrieve.bind(batch)),
    cancel: redacting(batch.cancel.bind(batch)),
    async parseLine(line, request) {
      const outcome = await batch.parseLine(line, request);
      return outcome.ok ? { ...outcome, result: redactResult(outcome.result, secrets) } : redactDeep(outcome, secrets);
    },
  };
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
    ...(provider.batch ? { batch: guardBatch(provider.batch, secrets) } : {}),
    ...(provider.handleCallback
      ? { handleCallback: (input: Parameters<NonNullable<ImageProvider['handleCallback']>>[0]) => redactDeep(provider.handleCallback!(input), secrets) }
      : {}),
  });
}
