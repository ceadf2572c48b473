/**
 * Budgets: daily and monthly USD caps per provider and/or rule (UTC windows). A job that would take spend
 * over a cap does not start; it waits as `queued` until the window resets. Spend is the sum of the jobs'
 * recorded cost in the database plus the estimated cost of jobs running without a recorded cost yet, so
 * several instances share one figure and the overshoot is bounded by what was already running.
 */
import type { BudgetConfig } from '../config/schema';
import type { JobCostEstimator } from '../providers/estimate';
import type { GateWait, JobGate } from './gates';
import type { SpendReader } from './spend';
import type { Job } from './types';

type Window = 'daily' | 'monthly';

/** Start of the UTC day/month holding `now`, and the start of the next one. */
export function budgetWindow(window: Window, now: Date): { start: Date; reset: Date } {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  if (window === 'monthly') return { start: new Date(Date.UTC(year, month, 1)), reset: new Date(Date.UTC(year, month + 1, 1)) };
  const day = now.getUTCDate();
  return { start: new Date(Date.UTC(year, month, day)), reset: new Date(Date.UTC(year, month, day + 1)) };
}

export function budgetApplies(budget: BudgetConfig, job: Pick<Job, 'provider' | 'rule'>): boolean {
  return (!budget.provider || budget.provider === job.provider) && (!budget.rule || budget.rule === job.rule);
}

export function budgetLabel(budget: BudgetConfig): string {
  if (budget.provider && budget.rule) return `rule ${budget.rule} on ${budget.provider}`;
  return budget.rule ? `rule ${budget.rule}` : (budget.provider as string) ?? 'all providers';
}

const usd = (value: number) => `$${Number(value.toFixed(2))}`;
const day = (date: Date) => date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function createBudgetGate(options: {
  budgets: BudgetConfig[];
  spend: SpendReader;
  /** Unknown estimates count as 0: recorded costs still stop spending once they reach the cap. */
  estimate: JobCostEstimator;
  /** When only running jobs' estimates block a job, look again this soon: they may cost less than estimated. */
  recheckMs: number;
  /** Jobs waiting for a window reset are looked at again at least this often (a config change takes effect). */
  maxWaitMs?: number;
  now?: () => Date;
}): JobGate {
  const { budgets, spend, estimate, recheckMs } = options;
  const maxWaitMs = options.maxWaitMs ?? 3_600_000;
  const now = options.now ?? (() => new Date());

  async function check(budget: BudgetConfig, window: Window, cap: number, job: Job, own: number, at: Date): Promise<GateWait | null> {
    const scope = { provider: budget.provider, rule: budget.rule };
    const { start, reset } = budgetWindow(window, at);
    const spent = await spend.spentSince(scope, start);
    const label = `${window} budget of ${usd(cap)} for ${budgetLabel(budget)}`;
    if (spent + own > cap + 1e-9) {
      return { reason: `${label} reached; resumes on ${day(reset)}`, retryAt: new Date(Math.min(reset.getTime(), at.getTime() + maxWaitMs)) };
    }
    const running = (await spend.runningUnpriced(scope, job.id)).reduce((sum, other) => sum + (estimate(other) ?? 0), 0);
    if (spent + running + own > cap + 1e-9) {
      return { reason: `${label} is committed to running jobs; waiting for their cost`, retryAt: new Date(at.getTime() + recheckMs) };
    }
    return null;
  }

  return async (job) => {
    // Already paid (a batch answered it, or an earlier attempt): its cost is in the spend; holding it back saves nothing.
    if (job.costUsd !== null && job.costUsd !== undefined) return null;
    const applicable = budgets.filter((budget) => budgetApplies(budget, job));
    if (applicable.length === 0) return null;
    const own = estimate(job) ?? 0;
    const at = now();
    for (const budget of applicable) {
      for (const [window, cap] of [['daily', budget.dailyUsd], ['monthly', budget.monthlyUsd]] as Array<[Window, number | undefined]>) {
        if (cap === undefined) continue;
        const wait = await check(budget, window, cap, job, own, at);
        if (wait) return wait;
      }
    }
    return null;
  };
}

/** Each cap of `budgets` with what its window has spent so far (admin views: settings, backfill progress). */
export async function budgetUsage(budgets: BudgetConfig[], spend: SpendReader, now = new Date()) {
  const usage: Array<{ label: string; provider: string | null; rule: string | null; window: Window; capUsd: number; spentUsd: number; resetsAt: string }> = [];
  for (const budget of budgets) {
    for (const [window, cap] of [['daily', budget.dailyUsd], ['monthly', budget.monthlyUsd]] as Array<[Window, number | undefined]>) {
      if (cap === undefined) continue;
      const { start, reset } = budgetWindow(window, now);
      const spentUsd = await spend.spentSince({ provider: budget.provider, rule: budget.rule }, start);
      usage.push({ label: budgetLabel(budget), provider: budget.provider ?? null, rule: budget.rule ?? null, window, capUsd: cap, spentUsd: Math.round(spentUsd * 1e6) / 1e6, resetsAt: reset.toISOString() });
    }
  }
  return usage;
}
