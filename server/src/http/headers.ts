/**
 * Parsing of the rate-limit and retry hints providers send back.
 * Every header is optional and may be malformed; parsers return `undefined` rather than guessing.
 */

/** One rate-limit window as advertised by `x-ratelimit-{limit,remaining,reset}-<kind>`. */
export interface RateLimitWindow {
  limit?: number;
  remaining?: number;
  /** Time until the window resets, in ms. */
  resetMs?: number;
}

/** Windows by kind (`requests`, `tokens`, `images`, ...). */
export type RateLimitInfo = Record<string, RateLimitWindow>;

export type ResponseHeaders = Record<string, string>;

/**
 * Hints beyond a day are not believed (a buggy or hostile server, `retry-after: 1e20`): they parse as absent.
 * The configurable, usually much lower cap (`queue.maxRetryAfterMs`) is applied by the provider registry.
 */
export const MAX_HINT_MS = 86_400_000;
/** Plain decimal numbers only: no exponents, signs, hex, Infinity; and short enough to be a real hint. */
const DECIMAL = /^\d{1,15}(\.\d{1,6})?$/;

function plausibleMs(ms: number): number | undefined {
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_HINT_MS ? Math.round(ms) : undefined;
}

const DURATION_UNITS_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };

/**
 * Go-style durations as OpenAI sends them in `x-ratelimit-reset-*`: `12ms`, `1s`, `6m0s`, `1h2m3.5s`.
 * A bare number is read as seconds.
 */
export function parseDurationMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text.length > 64) return undefined;
  if (DECIMAL.test(text)) return plausibleMs(Number(text) * 1000);
  const pattern = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index !== consumed) return undefined;
    total += Number(match[1]) * DURATION_UNITS_MS[match[2]];
    consumed += match[0].length;
  }
  return consumed === text.length && consumed > 0 ? plausibleMs(total) : undefined;
}

/** `retry-after-ms` first (OpenAI's precise form), then `retry-after` as seconds or an HTTP date. */
export function parseRetryAfterMs(headers: ResponseHeaders, now: number = Date.now()): number | undefined {
  const precise = headers['retry-after-ms']?.trim();
  const preciseMs = precise !== undefined && DECIMAL.test(precise) ? plausibleMs(Number(precise)) : undefined;
  if (preciseMs !== undefined) return preciseMs;
  const retryAfter = headers['retry-after']?.trim();
  if (!retryAfter || retryAfter.length > 64) return undefined;
  if (DECIMAL.test(retryAfter)) return plausibleMs(Number(retryAfter) * 1000);
  // HTTP-date (RFC 9110): must name a weekday or month, so "12abc" or "-1" never parse as a date.
  if (!/[A-Za-z]{3}/.test(retryAfter)) return undefined;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : plausibleMs(Math.max(0, date - now));
}

/** Negative values (Azure sends -1 when unknown) and junk count as absent. */
function nonNegativeNumber(value: string | undefined): number | undefined {
  if (value === undefined || !DECIMAL.test(value.trim())) return undefined;
  return Number(value);
}

export function parseRateLimitHeaders(headers: ResponseHeaders): RateLimitInfo | undefined {
  const info: RateLimitInfo = {};
  for (const [name, value] of Object.entries(headers)) {
    const match = /^x-ratelimit-(limit|remaining|reset)-([a-z0-9_-]+)$/.exec(name);
    if (!match) continue;
    const [, field, kind] = match;
    const parsed = field === 'reset' ? parseDurationMs(value) : nonNegativeNumber(value);
    if (parsed === undefined) continue;
    const window = (info[kind] ??= {});
    if (field === 'limit') window.limit = parsed;
    else if (field === 'remaining') window.remaining = parsed;
    else window.resetMs = parsed;
  }
  return Object.keys(info).length > 0 ? info : undefined;
}

/** The longest reset among exhausted windows: how long until a request could succeed again. */
export function exhaustedWindowResetMs(info: RateLimitInfo | undefined): number | undefined {
  let longest: number | undefined;
  for (const window of Object.values(info ?? {})) {
    if (window.remaining === 0 && window.resetMs !== undefined && window.resetMs > 0) {
      longest = Math.max(longest ?? 0, window.resetMs);
    }
  }
  return longest;
}

/** Lower-cased, single-valued header map (repeated headers joined the way HTTP allows). */
export function normalizeHeaders(raw: Record<string, string | string[] | undefined>): ResponseHeaders {
  const headers: ResponseHeaders = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
