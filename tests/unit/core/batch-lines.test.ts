import { canCancel, customIdOf, endedWithoutAnswer, isTerminal, isUnexecuted, jobIdOf, unfinishedFate, waitingInBatch } from '../../../server/src/batch/lines';
import { createJobCostEstimator } from '../../../server/src/providers/estimate';
import { REMOTE_BATCH_STATUSES } from '../../../server/src/providers/batch-types';

describe('batch lines', () => {
  describe('customIdOf / jobIdOf', () => {
    it.each([1, 42, 987654321])('maps job %d to a custom_id and back', (jobId) => {
      expect(jobIdOf(customIdOf(jobId))).toBe(jobId);
    });

    it.each(['', 'job-', 'job-12a', 'request-12', 'job-1 ', ' job-1'])('refuses the custom_id %j that is not ours', (customId) => {
      expect(jobIdOf(customId)).toBeNull();
    });
  });

  describe('isTerminal / canCancel', () => {
    it.each([
      ['validating', false, true],
      ['in_progress', false, true],
      ['finalizing', false, true],
      ['cancelling', false, false],
      ['completed', true, false],
      ['expired', true, false],
      ['failed', true, false],
      ['cancelled', true, false],
    ] as const)('%s: terminal %s, cancel sent %s', (status, terminal, cancellable) => {
      expect(isTerminal(status)).toBe(terminal);
      expect(canCancel(status)).toBe(cancellable);
    });

    it('covers every status OpenAI reports', () => {
      expect(REMOTE_BATCH_STATUSES).toHaveLength(8);
    });
  });

  describe('isUnexecuted', () => {
    it.each([
      ['batch_expired', true],
      ['batch_cancelled', true],
      ['moderation_blocked', false],
      ['invalid_request', false],
    ])('%s -> %s', (code, unexecuted) => {
      expect(isUnexecuted(code)).toBe(unexecuted);
    });
  });

  describe('endedWithoutAnswer', () => {
    it.each([
      ['expired', 'batch_expired', /expired \(24 h window\)/],
      ['cancelled', 'batch_cancelled', /was cancelled/],
      ['completed', 'batch_no_answer', /completed without an answer/],
    ] as const)('a %s batch gives code %s', (status, code, message) => {
      const reason = endedWithoutAnswer(status, 'batch_abc', null);
      expect(reason.code).toBe(code);
      expect(reason.message).toMatch(message);
      expect(reason.message).toContain('batch_abc');
    });

    it('quotes why a failed batch failed', () => {
      expect(endedWithoutAnswer('failed', 'batch_abc', 'line 3: duplicate custom_id').message).toBe('OpenAI batch batch_abc failed: line 3: duplicate custom_id.');
    });
  });

  describe('unfinishedFate', () => {
    const reason = { code: 'batch_expired', message: 'OpenAI batch batch_abc expired.' };

    it('cancels the job when its batch was canceled, whatever attempts remain', () => {
      expect(unfinishedFate({ cancelRequested: true, attempts: 1, maxAttempts: 5, reason })).toEqual({ kind: 'cancel' });
    });

    it('requeues while attempts remain', () => {
      expect(unfinishedFate({ cancelRequested: false, attempts: 2, maxAttempts: 3, reason })).toEqual({ kind: 'requeue' });
    });

    it('fails with the reason and the attempts once none remain', () => {
      expect(unfinishedFate({ cancelRequested: false, attempts: 3, maxAttempts: 3, reason })).toEqual({
        kind: 'fail',
        code: 'batch_expired',
        message: 'OpenAI batch batch_abc expired. Gave up after 3 attempts.',
      });
    });
  });

  describe('waitingInBatch', () => {
    it('names the batch and when it was sent', () => {
      expect(waitingInBatch('batch_abc', new Date(Date.UTC(2026, 10, 22, 6, 0, 0)))).toBe('In OpenAI batch batch_abc, submitted at 2026-11-22T06:00:00.000Z.');
    });
  });
});

describe('createJobCostEstimator', () => {
  const provider = (batch?: { priceFactor: number }) => ({ estimateCostUsd: () => 0.006, ...(batch ? { batch } : {}) });
  const estimator = (found: unknown) => createJobCostEstimator({ find: () => found as never });
  const job = { provider: 'openai', operation: 'generate' as const, params: {} };

  it.each([
    ['a synchronous job', provider({ priceFactor: 0.5 }), null, 0.006],
    ['a batch job', provider({ priceFactor: 0.5 }), 'batch', 0.003],
    ['a batch job on a provider without a Batch API', provider(), 'batch', 0.006],
  ] as const)('prices %s', (_case, found, mode, expected) => {
    expect(estimator(found)({ ...job, mode })).toBe(expected);
  });
});
