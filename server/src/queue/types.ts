import type { JobMode } from '../config/schema';
import type { StoredProvenance } from '../media/provenance';
import type { JobStatus } from './statuses';

export type JobTrigger = 'publish' | 'create' | 'update' | 'manual' | 'regenerate' | 'edit' | 'retry' | 'backfill' | 'revert';

export interface AttemptRecord {
  attempt: number;
  startedAt: string;
  finishedAt: string;
  outcome: 'succeeded' | 'retry' | 'failed' | 'released' | 'lease_expired';
  errorCode?: string;
  errorMessage?: string;
  retryable?: boolean;
  nextRunAt?: string;
}

export interface JobResult {
  fileId: number;
  url: string;
  mime: string;
  width: number;
  height: number;
  size: number;
  name: string;
  /** Who made the file (IPTC digital source type, model, provider) and whether the provider's bytes were kept. */
  provenance?: StoredProvenance;
  /** Every file of a rule with named renditions (this result is the one for the rule's target, or the first). */
  renditions?: RenditionResult[];
  /** Every image of a call that asked for several (`params.n` > 1); this result is the pick (see media/candidates). */
  candidates?: CandidateResult[];
}

export type CandidateResult = Omit<JobResult, 'candidates'> & {
  /** Position in the provider's answer, 0-based (the admin shows it 1-based). */
  index: number;
  /** When an editor removed it (its files were deleted from the Media Library). */
  removedAt?: string | null;
};

export interface RenditionResult {
  name: string;
  /** The media field it is attached to; null = Media Library only. */
  target: string | null;
  fileId: number;
  url: string;
  mime: string;
  width: number;
  height: number;
  size: number;
}

/** One row of plugin::ai-assets.job. */
export interface Job {
  id: number;
  documentId?: string;
  rule: string;
  contentType: string;
  targetDocumentId: string;
  targetLocale: string | null;
  trigger: JobTrigger;
  operation: 'generate' | 'edit';
  provider: string;
  model: string | null;
  prompt: string;
  revisedPrompt: string | null;
  params: Record<string, unknown> | null;
  output: Record<string, unknown> | unknown[] | null;
  targetField: string;
  altText: string | null;
  caption: string | null;
  folder: string | null;
  sourceFileId: number | null;
  /** Mask from the rule's `mask` media field. */
  maskFileId: number | null;
  /** Base64 PNG mask for admin edits (small; kept on the job so any instance can run it). */
  maskData: string | null;
  inputHash: string;
  /** The input hash while this job blocks re-running the same inputs, else null; unique in the table (dedupe). */
  activeHash?: string | null;
  status: JobStatus;
  review: boolean;
  attempts: number;
  maxAttempts: number;
  runAt: string | Date | null;
  leaseOwner: string | null;
  leaseExpiresAt: string | Date | null;
  startedAt: string | Date | null;
  finishedAt: string | Date | null;
  durationMs: number | null;
  providerRequestId: string | null;
  usage: Record<string, unknown> | null;
  costUsd: number | string | null;
  errorCode: string | null;
  errorMessage: string | null;
  errorRetryable: boolean | null;
  attemptLog: AttemptRecord[] | null;
  resultFileId: number | null;
  /** The provider's image (base64) saved before any further step, so a resumed job never pays again. */
  checkpointData?: string | null;
  checkpointMime?: string | null;
  /** Set just before uploading, so a resumed job finds a file uploaded right before a crash. */
  uploadStartedAt?: string | Date | null;
  /** Latest partial frame of a running job, downscaled (base64 WebP), its index and when it arrived; null otherwise. */
  previewData?: string | null;
  previewIndex?: number | null;
  previewAt?: string | Date | null;
  result: JobResult | null;
  attachedField: string | null;
  attachedAt: string | Date | null;
  parentJobId: number | null;
  entryTitle: string | null;
  createdByUserId: number | null;
  /** The backfill that queued this job, if any. */
  backfillId: number | null;
  /** Why a queued job is not running yet (a budget reached, its backfill paused); null when it just waits its turn. */
  waitReason: string | null;
  reviewedByUserId: number | null;
  /** 'batch': sent through the provider's Batch API; null or 'sync': one call. */
  mode?: JobMode | null;
  /** The provider batch (plugin::ai-assets.batch) holding this job while it waits for the batch's answer. */
  batchId?: number | null;
  createdAt: string | Date;
  updatedAt: string | Date;
}

export type NewJob = Pick<
  Job,
  | 'rule'
  | 'contentType'
  | 'targetDocumentId'
  | 'targetLocale'
  | 'trigger'
  | 'operation'
  | 'provider'
  | 'prompt'
  | 'params'
  | 'output'
  | 'targetField'
  | 'altText'
  | 'caption'
  | 'folder'
  | 'sourceFileId'
  | 'maskFileId'
  | 'maskData'
  | 'inputHash'
  | 'review'
  | 'maxAttempts'
  | 'parentJobId'
  | 'entryTitle'
  | 'createdByUserId'
> & { model?: string | null; backfillId?: number | null; mode?: JobMode | null };
