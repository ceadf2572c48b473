/**
 * One typed error hierarchy for every way a provider call can fail (auth, permission, model, invalid request,
 * moderation, rate limit, quota, server, timeout, connection, malformed answer, abort). Messages are written for
 * editors and must never contain a secret.
 *
 * Whether an error is retried is decided in exactly one place: `isRetryable()` below.
 */
import { AiAssetsError, NonRetryableError } from '../errors/domain';

import { redact } from '../utils/redact';

export { NonRetryableError };

export type ProviderErrorCode =
  | 'auth'
  | 'permission'
  | 'model_not_found'
  | 'invalid_request'
  | 'moderation_blocked'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'server_error'
  | 'overloaded'
  | 'timeout'
  | 'connection'
  | 'malformed_response'
  | 'aborted'
  | 'unsupported'
  | 'unknown';

export interface ProviderErrorOptions {
  status?: number;
  requestId?: string;
  retryAfterMs?: number;
  cause?: unknown;
  /** Raw provider code/type, kept for operators (never contains secrets). */
  providerCode?: string;
}

export class ProviderError extends AiAssetsError {
  readonly code: ProviderErrorCode = 'unknown';
  readonly status?: number;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly providerCode?: string;

  constructor(message: string, options: ProviderErrorOptions = {}) {
    // Key-shaped text is removed here for every provider; known key values are removed by the registry's wrapper.
    super(redact(message), { cause: options.cause });
    this.status = options.status;
    this.requestId = options.requestId === undefined ? undefined : redact(String(options.requestId));
    this.retryAfterMs = options.retryAfterMs;
    this.providerCode = options.providerCode === undefined ? undefined : redact(String(options.providerCode));
  }

  /** Transient trouble is worth another attempt; unknown errors (bugs, disk) get the benefit of the doubt. */
  get retryable(): boolean {
    return RETRYABLE_CODES.has(this.code) || this.code === 'unknown';
  }
}

export class AuthenticationError extends ProviderError {
  override readonly code = 'auth';
}
/** 403: organization not verified, region not allowed, abuse block. */
export class PermissionDeniedError extends ProviderError {
  override readonly code = 'permission';
}
export class ModelNotFoundError extends ProviderError {
  override readonly code = 'model_not_found';
}
export class InvalidRequestError extends ProviderError {
  override readonly code = 'invalid_request';
}
export class UnsupportedOperationError extends ProviderError {
  override readonly code = 'unsupported';
}

export interface ModerationDetails {
  stage?: 'input' | 'output' | string;
  categories?: string[];
}
export class ModerationBlockedError extends ProviderError {
  override readonly code = 'moderation_blocked';
  readonly moderation: ModerationDetails;
  constructor(message: string, moderation: ModerationDetails = {}, options: ProviderErrorOptions = {}) {
    super(message, options);
    this.moderation = moderation;
  }
}
export class RateLimitedError extends ProviderError {
  override readonly code = 'rate_limited';
}
export class QuotaExceededError extends ProviderError {
  override readonly code = 'quota_exceeded';
}
export class ServerError extends ProviderError {
  override readonly code = 'server_error';
}
export class OverloadedError extends ProviderError {
  override readonly code = 'overloaded';
}
export class TimeoutError extends ProviderError {
  override readonly code = 'timeout';
}
export class ConnectionError extends ProviderError {
  override readonly code = 'connection';
}
export class MalformedResponseError extends ProviderError {
  override readonly code = 'malformed_response';
}
export class AbortedError extends ProviderError {
  override readonly code = 'aborted';
}

const RETRYABLE_CODES: ReadonlySet<ProviderErrorCode> = new Set([
  'rate_limited',
  'server_error',
  'overloaded',
  'timeout',
  'connection',
  'malformed_response',
]);

/**
 * The one retry decision. Transient provider trouble is retried by the job queue (never by the HTTP layer);
 * auth, permission, quota, moderation and invalid requests are never retried because repeating them
 * cannot succeed and may cost money. Unknown errors (bugs, disk, sharp) get the benefit of the doubt.
 */
export function isRetryable(error: unknown): boolean {
  return error instanceof AiAssetsError ? error.retryable : true;
}

/** A short, editor-readable code for any error, used on the job row. */
export function errorCode(error: unknown): string {
  return error instanceof AiAssetsError ? error.code : 'internal';
}

/** A retry-after hint in ms, when the error carries one. */
export function retryAfterMsOf(error: unknown): number | undefined {
  return error instanceof ProviderError ? error.retryAfterMs : undefined;
}
