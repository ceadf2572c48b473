/** Shapes of the server's admin API answers (docs/admin-api.md). */

export const JOB_STATUSES = [
  'queued',
  'running',
  'awaiting_review',
  'succeeded',
  'approved',
  'rejected',
  'failed',
  'canceled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses that can still change without an editor: the UI polls while one is visible. */
export const IN_FLIGHT_STATUSES: readonly JobStatus[] = ['queued', 'running'];

export interface JobError {
  code: string;
  message: string;
  retryable: boolean;
}

export interface AttemptLogEntry {
  attempt: number;
  startedAt: string;
  finishedAt?: string | null;
  outcome: string;
  errorCode?: string;
  errorMessage?: string;
  retryable?: boolean;
  nextRunAt?: string | null;
}

export interface JobResult {
  fileId: number;
  url: string;
  thumbnailUrl?: string | null;
  mime: string;
  width: number;
  height: number;
  size: number;
  name: string;
}

export interface JobView {
  id: number;
  rule: string;
  contentType: string;
  documentId: string;
  locale: string | null;
  trigger: string;
  operation: 'generate' | 'edit';
  provider: string;
  model: string | null;
  status: JobStatus;
  review: boolean;
  prompt: string;
  revisedPrompt: string | null;
  params: Record<string, unknown> | null;
  output: Record<string, unknown> | null;
  targetField: string | null;
  altText: string | null;
  caption: string | null;
  folder: string | null;
  attempts: number;
  maxAttempts: number;
  nextRunAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  providerRequestId: string | null;
  usage: Record<string, unknown> | null;
  costUsd: number | null;
  error: JobError | null;
  attemptLog: AttemptLogEntry[] | null;
  result: JobResult | null;
  attachedField: string | null;
  attachedAt: string | null;
  parentJobId: number | null;
  entryTitle: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface JobDetail extends JobView {
  parent: JobView | null;
  children: JobView[];
  sourceFile: { id: number; url: string; width: number; height: number } | null;
  entryMediaFields: string[];
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
  on: string | string[];
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
