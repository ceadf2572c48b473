import type { JobMode } from '../config/schema';
/** One row of plugin::ai-assets.backfill and its statuses. */
export const BACKFILL_STATUSES = ['estimating', 'ready', 'running', 'paused', 'done', 'canceled'] as const;
export type BackfillStatus = (typeof BACKFILL_STATUSES)[number];

/** Statuses whose paging step the tick drives. */
export const STEPPING_STATUSES: BackfillStatus[] = ['estimating', 'running'];

export interface EstimateSkipped {
  duplicate: number;
  hasImage: number;
  other: number;
}

export interface Backfill {
  id: number;
  rule: string;
  contentType: string;
  filters: Record<string, unknown> | null;
  locale: string | null;
  onlyIfEmpty: boolean;
  /** 'batch': its jobs go through the provider's Batch API; null: the rule's own mode. */
  mode: JobMode | null;
  status: BackfillStatus;
  /** Start running as soon as the estimate is done (a POST without dryRun is the operator's confirmation). */
  startWhenReady: boolean;
  /** Id of the last entry row paged through (keyset pagination). */
  cursor: number;
  pagingDone: boolean;
  /** Bumped by every claim of the paging step: the compare-and-set that keeps instances from paging twice. */
  stepVersion: number;
  stepLeaseExpiresAt: string | Date | null;
  matched: number;
  toQueue: number;
  estimateSkipped: EstimateSkipped | null;
  estimatedUsd: number;
  /** Jobs whose provider has no price for their params (not in estimatedUsd). */
  unpricedJobs: number;
  processed: number;
  queued: number;
  skippedDuplicate: number;
  skippedHasImage: number;
  skippedOther: number;
  errorMessage: string | null;
  createdByUserId: number | null;
  createdVia: string | null;
  /** Who started it, as the admin shows it: an admin's name, `API token "<name>"` or `user "<username>"`. */
  createdByName: string | null;
  startedAt: string | Date | null;
  finishedAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
}
