import type { BudgetConfig } from '../../../server/src/config/schema';
import { budgetWindow, createBudgetGate } from '../../../server/src/queue/budget-gate';
import type { SpendReader, SpendScope } from '../../../server/src/queue/spend';
import type { Job } from '../../../server/src/queue/types';

const NOW = new Date('2026-11-22T15:30:00Z');
const job = (overrides: Partial<Job> = {}) =>
  ({ id: 1, provider: 'openai', rule: 'product-image', operation: 'generate', params: { quality: 'low' }, ...overrides }) as Job;

/** Spend by window start: the gate must ask for the right UTC window and scope. */
function spendReader(spent: { daily?: number; monthly?: number }, running: Array<Partial<Job>> = []) {
  const calls: Array<{ scope: SpendScope; since?: Date }> = [];
  const reader = {
    spentSince: async (scope: SpendScope, since?: Date) => {
      calls.push({ scope, since });
      return since?.getUTCDate() === 1 && since.getTime() !== budgetWindow('daily', NOW).start.getTime() ? (spent.monthly ?? 0) : (spent.daily ?? 0);
    },
    runningUnpriced: async () => running,
  } as unknown as SpendReader;
  return { reader, calls };
}

const gate = (budgets: BudgetConfig[], reader: SpendReader, estimate = 0.5) =>
  createBudgetGate({ budgets, spend: reader, estimate: () => estimate, recheckMs: 5000, now: () => NOW });

describe('queue/budget-gate', () => {
  describe('budgetWindow', () => {
    it.each([
      ['daily', '2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z'],
      ['monthly', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ] as const)('gives the UTC %s window', (window, start, reset) => {
      const range = budgetWindow(window, NOW);
      expect([range.start.toISOString(), range.reset.toISOString()]).toEqual([start, reset]);
    });

    it('rolls a monthly window over the year end', () => {
      expect(budgetWindow('monthly', new Date('2026-12-31T23:59:59Z')).reset.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    });
  });

  describe('createBudgetGate', () => {
    it('lets a job run when no budget applies to its provider or rule', async () => {
      const { reader, calls } = spendReader({ daily: 1000 });
      expect(await gate([{ provider: 'kie', dailyUsd: 1 }, { rule: 'other', dailyUsd: 1 }], reader)(job())).toBeNull();
      expect(calls).toHaveLength(0);
    });

    it('never holds a job whose cost is already recorded (a batch answered it): it was paid, holding it saves nothing', async () => {
      const { reader, calls } = spendReader({ monthly: 60 });
      expect(await gate([{ provider: 'openai', monthlyUsd: 50 }], reader)(job({ costUsd: 0.003 }))).toBeNull();
      expect(calls).toHaveLength(0);
    });

    it('lets a job run that fits under the cap', async () => {
      const { reader, calls } = spendReader({ monthly: 49 });
      expect(await gate([{ provider: 'openai', monthlyUsd: 50 }], reader)(job())).toBeNull();
      expect(calls[0]).toEqual({ scope: { provider: 'openai', rule: undefined }, since: new Date('2026-11-01T00:00:00Z') });
    });

    it('holds a job that would exceed a monthly cap until the month resets, with the reason', async () => {
      const { reader } = spendReader({ monthly: 49.8 });
      const wait = await gate([{ provider: 'openai', monthlyUsd: 50 }], reader)(job());
      expect(wait?.reason).toBe('monthly budget of $50 for openai reached; resumes on Dec 1');
      // Re-checked within the hour at most, so a raised cap takes effect without waiting for the month.
      expect(wait?.retryAt.toISOString()).toBe('2026-11-22T16:30:00.000Z');
    });

    it('holds a job that would exceed a daily rule cap', async () => {
      const { reader } = spendReader({ daily: 4.9 });
      const wait = await gate([{ rule: 'product-image', dailyUsd: 5 }], reader)(job());
      expect(wait?.reason).toBe('daily budget of $5 for rule product-image reached; resumes on Nov 23');
    });

    it('counts the estimate of running jobs without a recorded cost and re-checks soon', async () => {
      const { reader } = spendReader({ daily: 3 }, [{ id: 2, provider: 'openai', operation: 'generate', params: {} }, { id: 3, provider: 'openai', operation: 'generate', params: {} }]);
      const wait = await gate([{ provider: 'openai', dailyUsd: 4 }], reader)(job());
      expect(wait?.reason).toBe('daily budget of $4 for openai is committed to running jobs; waiting for their cost');
      expect(wait?.retryAt.getTime()).toBe(NOW.getTime() + 5000);
    });

    it('checks every applicable budget and window', async () => {
      const { reader, calls } = spendReader({ daily: 0, monthly: 0 });
      expect(await gate([{ provider: 'openai', dailyUsd: 5, monthlyUsd: 50 }, { rule: 'product-image', dailyUsd: 2 }], reader)(job())).toBeNull();
      expect(calls).toHaveLength(3);
    });
  });
});
