import { AuthenticationError, ModerationBlockedError, NonRetryableError, RateLimitedError, ServerError } from '../../../server/src/providers/errors';
import { decideFailure, readableMessage } from '../../../server/src/queue/failure';
import { ERROR_CASES } from '../../fixtures/provider-errors';

const policy = { baseMs: 1000, maxMs: 60_000 };
const now = new Date('2025-06-01T12:00:00.000Z');
const half = () => 0.5;

describe('queue/failure', () => {
  describe('decideFailure', () => {
    it.each(ERROR_CASES.filter(([, , retryable]) => retryable))('schedules a retry in the future for %s', (_name, error, _retryable, code) => {
      const decision = decideFailure(error, 1, 5, policy, now, half);
      const retryAt = new Date(now.getTime() + 750);
      expect(decision).toEqual({ code, retryable: true, message: `${error.message} Will retry at ${retryAt.toISOString()} (attempt 2 of 5).`, retryAt });
    });

    it.each(ERROR_CASES.filter(([, , retryable]) => !retryable))('fails %s at once, saying it will not be retried', (_name, error, _retryable, code) => {
      const decision = decideFailure(error, 1, 5, policy, now, half);
      expect(decision.code).toBe(code);
      expect(decision.retryable).toBe(false);
      expect(decision.retryAt).toBeNull();
      expect(decision.message.startsWith(error.message)).toBe(true);
      expect(decision.message.endsWith(' This will not be retried.')).toBe(true);
    });

    it.each([
      [1, 750],
      [2, 1500],
      [3, 3000],
      [4, 6000],
    ])('waits longer after each attempt: attempt %i retries after %i ms', (attempt, delay) => {
      expect(decideFailure(new ServerError('x'), attempt, 10, policy, now, half).retryAt).toEqual(new Date(now.getTime() + delay));
    });

    it.each([
      [30_000, 30_000],
      [100, 750],
    ])('respects a retry-after of %i ms (waits %i ms)', (retryAfterMs, delay) => {
      const decision = decideFailure(new RateLimitedError('Too many requests.', { retryAfterMs }), 1, 5, policy, now, half);
      expect(decision.retryAt).toEqual(new Date(now.getTime() + delay));
    });

    it.each([
      [5, 5],
      [6, 5],
      [1, 1],
    ])('gives up a retryable error on attempt %i of %i', (attempt, maxAttempts) => {
      const decision = decideFailure(new ServerError('The provider failed.'), attempt, maxAttempts, policy, now, half);
      expect(decision).toEqual({ code: 'server_error', retryable: true, retryAt: null, message: `The provider failed. Gave up after ${attempt} attempts.` });
    });

    it('says "will not be retried" rather than "gave up" for a non-retryable error on the last attempt', () => {
      expect(decideFailure(new AuthenticationError('Bad key.'), 5, 5, policy, now, half).message).toBe('Bad key. This will not be retried.');
    });

    it('fails a NonRetryableError at once with its own code', () => {
      expect(decideFailure(new NonRetryableError('document_missing', 'The entry was deleted.'), 1, 5, policy, now, half)).toEqual({
        code: 'document_missing',
        retryable: false,
        retryAt: null,
        message: 'The entry was deleted. This will not be retried.',
      });
    });

    it('retries a plain Error with the internal code', () => {
      const retryAt = new Date(now.getTime() + 1500);
      expect(decideFailure(new Error('EBUSY'), 2, 5, policy, now, half)).toEqual({ code: 'internal', retryable: true, retryAt, message: `EBUSY Will retry at ${retryAt.toISOString()} (attempt 3 of 5).` });
    });

    it('defaults now to the current time', () => {
      const before = Date.now();
      const decision = decideFailure(new ServerError('x'), 1, 5, { baseMs: 10_000, maxMs: 10_000 });
      expect(decision.retryAt!.getTime()).toBeGreaterThanOrEqual(before + 5000);
      expect(decision.retryAt!.getTime()).toBeLessThanOrEqual(Date.now() + 10_000);
    });
  });

  describe('readableMessage', () => {
    it.each([
      [{ stage: 'input', categories: ['violence', 'self-harm'] }, 'Blocked by the safety system. (input stage; categories: violence, self-harm)'],
      [{ stage: 'output' }, 'Blocked by the safety system. (output stage)'],
      [{ categories: ['sexual'] }, 'Blocked by the safety system. (categories: sexual)'],
      [{ categories: [] }, 'Blocked by the safety system.'],
      [{}, 'Blocked by the safety system.'],
    ])('adds moderation details %j to the message', (moderation, expected) => {
      const error = new ModerationBlockedError('Blocked by the safety system.', moderation);
      expect(readableMessage(error)).toBe(expected);
      expect(decideFailure(error, 1, 5, policy, now).message).toBe(`${expected} This will not be retried.`);
    });

    it('cuts very long messages to 1000 characters', () => {
      const message = readableMessage(new Error('x'.repeat(5000)));
      expect(message).toHaveLength(1000);
      expect(message.endsWith('…')).toBe(true);
    });

    it('reads values that are not errors', () => {
      expect(readableMessage('plain text')).toBe('plain text');
    });
  });
});
