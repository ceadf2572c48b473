/** Shapes of the server's admin API answers (docs/admin-api.md). */

import type { JobStatus } from '../../server/src/queue/statuses';
import type { CandidateView, JobView as ServerJobView } from '../../server/src/services/job-view';

export type { CandidateView } from '../../server/src/services/job-view';
export type { HistoryImage } from '../../server/src/media/image-history';

export type { BackfillView, BudgetUsage } from '../../server/src/backfill/view';
export type { BackfillStatus } from '../../server/src/backfill/types';

// The status lists are the server's own (a dependency-free module, bundled into the admin as is).
export { IN_FLIGHT_STATUSES, JOB_STATUSES, type JobStatus } from '../../server/src/queue/statuses';

/** A job as GET /ai-assets/jobs answers it; the server types status and operation as plain strings. */
export interface JobView extends Omit<ServerJobView, 'status' | 'operation'> {
  status: JobStatus;
  operation: 'generate' | 'edit';
}

export interface JobDetail extends JobView {
  parent: JobView | null;
  children: JobView[];
  sourceFile: { id: number; url: string; width: number; height: number } | null;
  entryMediaFields: string[];
  /** Every image of a job that asked for several (empty otherwise). */
  candidates: CandidateView[];
}

export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
}

export interface JobList {
  results: JobView[];
  pagination: Pagination;
}

export interface JobFilters {
  status?: string;
  contentType?: string;
  documentId?: string;
  locale?: string;
  rule?: string;
  search?: string;
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

export interface RuleView {
  id: string;
  contentType: string;
  on: string[];
  operation: 'generate' | 'edit';
  provider: string;
  target: string;
  source: string | null;
  review: boolean;
  onlyIfEmpty: boolean;
  locales: string[] | null;
  prompt: string;
  params: Record<string, unknown> | null;
  output: Record<string, unknown> | null;
  folder: string | null;
  mode: 'sync' | 'batch';
  /** Whether a backfill of this rule may use the provider's Batch API (half price, results within 24 h). */
  batchAvailable: boolean;
}

export interface ContentTypeView {
  uid: string;
  displayName: string;
  mediaFields: string[];
  rules: string[];
}

export interface ProviderView {
  name: string;
  type: string;
  model: string | null;
  configured: boolean;
  problem: string | null;
  capabilities: string[] | Record<string, unknown>;
}

export interface SettingsView {
  providers: ProviderView[];
  rules: RuleView[];
  queue: Record<string, unknown>;
}

export interface StatsView {
  counts: Partial<Record<JobStatus, number>>;
  jobsPerMinute: number;
  failuresLast24h: number;
  inFlight: number;
}

export interface JobAccepted {
  jobId: number;
  status: JobStatus;
}

export interface RunRuleResult extends JobAccepted {
  deduplicated: boolean;
}

export interface DryRunResult {
  dryRun: true;
  prompt: string;
  altText: string | null;
  caption: string | null;
  provider: string;
  params: Record<string, unknown> | null;
  inputHash: string;
  duplicateOf: number | null;
}

export interface BulkResult {
  succeeded: number[];
  failed: { id: number; reason: string }[];
}

export interface ProviderTestResult {
  ok: boolean;
  durationMs: number;
  model?: string;
  image?: string;
  error?: { code: string; message: string };
}

/** One row of GET /ai-assets/budgets: a cap and what its window has spent so far. */
export interface BudgetRow {
  label: string;
  provider: string | null;
  rule: string | null;
  window: 'daily' | 'monthly';
  capUsd: number;
  spentUsd: number;
  resetsAt: string;
}
