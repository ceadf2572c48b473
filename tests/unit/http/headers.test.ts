import { exhaustedWindowResetMs, normalizeHeaders, parseDurationMs, parseRateLimitHeaders, parseRetryAfterMs } from '../../../server/src/http/headers';

describe('http/headers', () => {
  describe('parseDurationMs', () => {
    it.each([
      ['12ms', 12],
      ['1s', 1000],
      ['6m0s', 360_000],
      ['1h2m3.5s', 3_723_500],
      ['0.5s', 500],
      ['20', 20_000],
      ['250us', 0],
      ['', undefined],
      ['soon', undefined],
      ['5x', undefined],
      ['1s later', undefined],
      [undefined, undefined],
    ])('reads %j as %j ms', (value, expected) => {
      expect(parseDurationMs(value)).toBe(expected);
    });
  });

  describe('parseRetryAfterMs', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    it.each([
      [{ 'retry-after-ms': '1500' }, 1500],
      [{ 'retry-after-ms': '1500', 'retry-after': '9' }, 1500],
      [{ 'retry-after': '9' }, 9000],
      [{ 'retry-after': '0.25' }, 250],
      [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, 30_000],
      [{ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 0],
      [{ 'retry-after-ms': 'abc', 'retry-after': '2' }, 2000],
      [{ 'retry-after': 'later' }, undefined],
      [{}, undefined],
    ])('reads %j as %j ms', (headers, expected) => {
      expect(parseRetryAfterMs(headers, now)).toBe(expected);
    });
  });

  describe('parseRateLimitHeaders', () => {
    it('groups limit, remaining and reset by kind', () => {
      expect(
        parseRateLimitHeaders({
          'x-ratelimit-limit-requests': '50',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '12ms',
          'x-ratelimit-limit-tokens': '100000',
          'x-ratelimit-reset-tokens': '6m0s',
          'x-request-id': 'req_1',
        })
      ).toEqual({ requests: { limit: 50, remaining: 0, resetMs: 12 }, tokens: { limit: 100000, resetMs: 360_000 } });
    });

    it('ignores Azure-style -1 values and junk', () => {
      expect(parseRateLimitHeaders({ 'x-ratelimit-remaining-requests': '-1', 'x-ratelimit-reset-requests': 'never' })).toBeUndefined();
    });
  });

  describe('exhaustedWindowResetMs', () => {
    it('returns the longest reset among windows with nothing remaining', () => {
      expect(exhaustedWindowResetMs({ requests: { remaining: 0, resetMs: 500 }, tokens: { remaining: 0, resetMs: 2000 }, images: { remaining: 3, resetMs: 9000 } })).toBe(2000);
      expect(exhaustedWindowResetMs({ requests: { remaining: 1, resetMs: 500 } })).toBeUndefined();
    });
  });

  describe('normalizeHeaders', () => {
    it('lower-cases names and joins repeated values', () => {
      expect(normalizeHeaders({ 'X-Request-Id': 'a', 'set-cookie': ['x', 'y'], gone: undefined })).toEqual({ 'x-request-id': 'a', 'set-cookie': 'x, y' });
    });
  });
});
