/**
 * Turning HTTP statuses and transport failures into the typed provider errors. Providers refine these with
 * their own body codes (moderation, quota, ...); this file only knows what any HTTP API means by a status.
 */
import {
  AbortedError,
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  MalformedResponseError,
  ModelNotFoundError,
  OverloadedError,
  PermissionDeniedError,
  ProviderError,
  type ProviderErrorOptions,
  RateLimitedError,
  ServerError,
  TimeoutError,
} from '../providers/errors';
import { AiAssetsError } from '../errors/domain';
import { redact } from '../utils/redact';

export { redact } from '../utils/redact';

/** Provider messages are appended to ours for operators; keep them short and secret-free. */
export function providerMessageSuffix(message: unknown, secrets: ReadonlyArray<string | undefined>): string {
  if (typeof message !== 'string' || !message.trim()) return '';
  const clean = redact(message.trim(), secrets).replace(/\s+/g, ' ');
  return ` (${clean.length > 300 ? `${clean.slice(0, 297)}...` : clean})`;
}

/** The status-only meaning of an HTTP error answer; `label` names the provider in the sentence. */
export function errorForStatus(status: number, label: string, detail: string, options: ProviderErrorOptions): ProviderError {
  const withStatus = { ...options, status };
  if (status === 401) return new AuthenticationError(`${label} rejected the API key. Check the key in the plugin configuration.${detail}`, withStatus);
  if (status === 403) return new PermissionDeniedError(`${label} refused access to this model or account.${detail}`, withStatus);
  if (status === 404) return new ModelNotFoundError(`${label} could not find the model or endpoint. Check the model and URL settings.${detail}`, withStatus);
  if (status === 408) return new TimeoutError(`${label} timed out while handling the request.${detail}`, withStatus);
  if (status === 429) return new RateLimitedError(`${label} is rate limiting requests.${detail}`, withStatus);
  if (status === 503 || status === 529) return new OverloadedError(`${label} is overloaded right now.${detail}`, withStatus);
  if (status >= 500 || status === 409) return new ServerError(`${label} had an internal error (HTTP ${status}).${detail}`, withStatus);
  return new InvalidRequestError(`${label} rejected the request (HTTP ${status}).${detail}`, withStatus);
}

interface FailureContext {
  label: string;
  /** Why our own controller aborted the request, if it did. */
  reason?: 'aborted' | 'timeout';
  timeoutMs: number;
  /** Whether the response headers had already arrived (a failure then means a cut-off body). */
  receivedHeaders: boolean;
  secrets: ReadonlyArray<string | undefined>;
  requestId?: string;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A plain copy of the transport error: keeps the diagnosis, drops sockets and anything that could hold a secret. */
function safeCause(error: unknown, secrets: ReadonlyArray<string | undefined>): Error {
  const message = error instanceof Error ? error.message : String(error);
  const copy = new Error(redact(message, secrets));
  copy.name = error instanceof Error ? error.name : 'Error';
  const code = codeOf(error);
  if (code) (copy as Error & { code?: string }).code = code;
  return copy;
}

/**
 * Maps an exception thrown by undici (or our own abort) to a typed error. Our own errors (a stream reader's
 * verdict on what it read, e.g. an image over the limits) are decisions, not transport trouble: kept as they are.
 */
export function errorForFailure(error: unknown, context: FailureContext): ProviderError | AiAssetsError {
  if (error instanceof AiAssetsError) return error;
  const { label, reason, timeoutMs, receivedHeaders, requestId } = context;
  const options = { cause: safeCause(error, context.secrets), requestId, providerCode: codeOf(error) };
  const seconds = Math.max(1, Math.round(timeoutMs / 1000));
  if (reason === 'aborted') return new AbortedError('The request was canceled before it finished.', options);
  const code = codeOf(error);
  if (reason === 'timeout' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new TimeoutError(`${label} did not answer within ${seconds} s.`, options);
  }
  if (receivedHeaders) {
    return new MalformedResponseError(`The answer from ${label} was cut off before the end.`, { ...options, providerCode: 'truncated_body' });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ConnectionError(`Could not connect to ${label}. Check the URL and the network.`, options);
  }
  return new ConnectionError(`The connection to ${label} broke before the answer arrived.`, options);
}
