import * as errors from '../../../server/src/providers/errors';
import { ERROR_CASES } from '../../fixtures/provider-errors';

describe('providers/errors', () => {
  it('has a case for every exported error class', () => {
    const classes = Object.entries(errors)
      .filter(([, value]) => typeof value === 'function' && (value === Error || (value as { prototype: unknown }).prototype instanceof Error))
      .map(([name]) => name);
    expect(classes.sort()).toEqual(ERROR_CASES.map(([name]) => name).filter((name) => !['Error', 'TypeError'].includes(name)).sort());
  });

  describe('isRetryable', () => {
    it.each(ERROR_CASES)('%s is retryable: %s', (_name, error, retryable) => {
      expect(errors.isRetryable(error)).toBe(retryable);
    });

    it.each([['a string', 'boom'], ['undefined', undefined], ['a plain object', { code: 'auth' }]])('gives %s the benefit of the doubt', (_label, value) => {
      expect(errors.isRetryable(value)).toBe(true);
    });
  });

  describe('errorCode', () => {
    it.each(ERROR_CASES)('%s has a stable code', (_name, error, _retryable, code) => {
      expect(errors.errorCode(error)).toBe(code);
    });
  });

  describe('ProviderError', () => {
    it('names itself after its class and keeps status, request id, retry-after and cause', () => {
      const cause = new Error('socket hang up');
      const error = new errors.RateLimitedError('Slow down.', { status: 429, requestId: 'req_1', retryAfterMs: 5000, cause, providerCode: 'rate_limit_exceeded' });
      expect(error).toBeInstanceOf(errors.ProviderError);
      expect(error).toMatchObject({ name: 'RateLimitedError', message: 'Slow down.', status: 429, requestId: 'req_1', retryAfterMs: 5000, providerCode: 'rate_limit_exceeded', cause });
      expect(errors.retryAfterMsOf(error)).toBe(5000);
    });

    it('has no retry-after hint when none was given or the error is not a provider error', () => {
      expect(errors.retryAfterMsOf(new errors.ServerError('x'))).toBeUndefined();
      expect(errors.retryAfterMsOf(new Error('x'))).toBeUndefined();
    });

    it('keeps moderation details', () => {
      const error = new errors.ModerationBlockedError('Blocked.', { stage: 'output', categories: ['violence'] });
      expect(error.moderation).toEqual({ stage: 'output', categories: ['violence'] });
    });
  });
});
