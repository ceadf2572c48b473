/** What the admin and API clients see of a backfill: the estimate, live progress, money, ETA. */
import type { BatchView } from '../batch/view';
import type { JobStatus } from '../queue/statuses';
import type { Backfill, BackfillStatus, EstimateSkipped } from './types';

export interface BudgetUsage {
  label: string;
  window: 'daily' | 'monthly';
  capUsd: number;
  spentUsd: number;
  resetsAt: string;
}

export interface BackfillView {
  id: number;
  rule: string;
  contentType: string;
  filters: Record<string, unknown>;
  locale: string | null;
  onlyIfEmpty: boolean;
  /** 'batch': jobs go through the provider's Batch API. */
  mode: 'sync' | 'batch';
  /** Its provider batches, newest first (batch mode only). */
  batches: BatchView[];
  status: BackfillStatus;
  /** The estimate (dry run): entries matching, jobs it would queue, entries it would skip and why, cost. */
  matched: number;
  toQueue: number;
  skipped: EstimateSkipped;
  estimatedUsd: number;
  unpricedJobs: number;
  progress: {
    processed: number;
    queued: number;
    skippedDuplicate: number;
    skippedHasImage: number;
    skippedOther: number;
    waiting: number;
    running: number;
    succeeded: number;
    awaitingReview: number;
    failed: number;
    canceled: number;
    /** Entries settled (skipped or job finished) out of those matched. */
    percent: number;
  };
  spentUsd: number;
  budgets: BudgetUsage[];
  /** Why its queued jobs are not running (a budget), if they wait for something. */
  waitReason: string | null;
  etaSeconds: number | null;
  errorMessage: string | null;
  createdByUserId: number | null;
  createdVia: string | null;
  createdByName: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
}

const iso = (value: string | Date | null | undefined) => (value ? new Date(value).toISOString() : null);

export function toBackfillView(
  backfill: Backfill,
  jobs: { counts: Partial<Record<JobStatus, number>>; spentUsd: number; waiting: string | null },
  extra: { budgets: BudgetUsage[]; finishedPerSecond: number; batches?: BatchView[] }
): BackfillView {
  const count = (status: JobStatus) => jobs.counts[status] ?? 0;
  const skippedRun = backfill.skippedDuplicate + backfill.skippedHasImage + backfill.skippedOther;
  const jobsSettled = count('succeeded') + count('awaiting_review') + count('approved') + count('rejected') + count('failed') + count('canceled');
  const total = Math.max(backfill.matched, backfill.processed);
  const settled = skippedRun + jobsSettled;
  const percent = backfill.status === 'done' || total === 0 ? (backfill.status === 'done' ? 100 : 0) : Math.min(100, Math.floor((settled / total) * 100));
  const remaining = Math.max(0, total - settled);
  const live = backfill.status === 'running';
  return {
    id: backfill.id,
    rule: backfill.rule,
    contentType: backfill.contentType,
    filters: backfill.filters ?? {},
    locale: backfill.locale ?? null,
    onlyIfEmpty: Boolean(backfill.onlyIfEmpty),
    mode: backfill.mode === 'batch' ? 'batch' : 'sync',
    batches: extra.batches ?? [],
    status: backfill.status,
    matched: backfill.matched,
    toQueue: backfill.toQueue,
    skipped: { duplicate: 0, hasImage: 0, other: 0, ...backfill.estimateSkipped },
    estimatedUsd: Number(backfill.estimatedUsd ?? 0),
    unpricedJobs: backfill.unpricedJobs,
    progress: {
      processed: backfill.processed,
      queued: backfill.queued,
      skippedDuplicate: backfill.skippedDuplicate,
      skippedHasImage: backfill.skippedHasImage,
      skippedOther: backfill.skippedOther,
      waiting: count('queued'),
      running: count('running'),
      succeeded: count('succeeded') + count('approved'),
      awaitingReview: count('awaiting_review'),
      failed: count('failed') + count('rejected'),
      canceled: count('canceled'),
      percent,
    },
    spentUsd: Math.round(jobs.spentUsd * 1_000_000) / 1_000_000,
    budgets: extra.budgets,
    waitReason: jobs.waiting,
    etaSeconds: live && remaining > 0 && extra.finishedPerSecond > 0 ? Math.round(remaining / extra.finishedPerSecond) : live && remaining === 0 ? 0 : null,
    errorMessage: backfill.errorMessage ?? null,
    createdByUserId: backfill.createdByUserId ?? null,
    createdVia: backfill.createdVia ?? null,
    createdByName: backfill.createdByName ?? null,
    startedAt: iso(backfill.startedAt),
    finishedAt: iso(backfill.finishedAt),
    createdAt: iso(backfill.createdAt) as string,
  };
}
