/** What the admin sees of a job: plain data, thumbnails, readable error; never a secret. */
import type { Job, JobTrigger } from '../queue/types';
import type { JobStatus } from '../queue/statuses';
import type { LibraryFile } from '../media/library';

export interface JobView {
  id: number;
  rule: string;
  contentType: string;
  documentId: string;
  locale: string | null;
  trigger: JobTrigger;
  operation: Job['operation'];
  provider: string;
  model: string | null;
  status: JobStatus;
  review: boolean;
  prompt: string;
  revisedPrompt: string | null;
  params: Record<string, unknown> | null;
  output: Record<string, unknown> | unknown[] | null;
  targetField: string;
  altText: string | null;
  caption: string | null;
  folder: string | null;
  attempts: number;
  maxAttempts: number;
  nextRunAt: string | null;
  /** Why a queued job is held (budget reached, backfill paused). */
  waitReason: string | null;
  backfillId: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  providerRequestId: string | null;
  usage: Record<string, unknown> | null;
  costUsd: number | null;
  error: { code: string; message: string; retryable: boolean } | null;
  attemptLog: NonNullable<Job['attemptLog']>;
  result: (NonNullable<Job['result']> & { thumbnailUrl: string }) | null;
  attachedField: string | null;
  attachedAt: string | null;
  parentJobId: number | null;
  entryTitle: string | null;
  createdAt: string;
  updatedAt: string;
}

const iso = (value: string | Date | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

export function toJobView(job: Job, file?: LibraryFile | null): JobView {
  const thumbnailUrl = file?.formats?.thumbnail?.url ?? file?.url ?? job.result?.url ?? null;
  return {
    id: job.id,
    rule: job.rule,
    contentType: job.contentType,
    documentId: job.targetDocumentId,
    locale: job.targetLocale ?? null,
    trigger: job.trigger,
    operation: job.operation,
    provider: job.provider,
    model: job.model ?? null,
    status: job.status,
    review: Boolean(job.review),
    prompt: job.prompt,
    revisedPrompt: job.revisedPrompt ?? null,
    params: job.params ?? null,
    output: job.output ?? null,
    targetField: job.targetField,
    altText: job.altText ?? null,
    caption: job.caption ?? null,
    folder: job.folder ?? null,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    nextRunAt: job.status === 'queued' ? iso(job.runAt) : null,
    // A batch-mode job waits while `running`: its reason says which provider batch holds it.
    waitReason: job.status === 'queued' || job.batchId || job.leaseOwner?.startsWith('batch:') ? (job.waitReason ?? null) : null,
    backfillId: job.backfillId ?? null,
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    durationMs: job.durationMs ?? null,
    providerRequestId: job.providerRequestId ?? null,
    usage: job.usage ?? null,
    costUsd: job.costUsd === null || job.costUsd === undefined ? null : Number(job.costUsd),
    error: job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? '', retryable: Boolean(job.errorRetryable) } : null,
    attemptLog: job.attemptLog ?? [],
    result: job.result ? { ...job.result, url: file?.url ?? job.result.url, thumbnailUrl: thumbnailUrl as string } : null,
    attachedField: job.attachedField ?? null,
    attachedAt: iso(job.attachedAt),
    parentJobId: job.parentJobId ?? null,
    entryTitle: job.entryTitle ?? null,
    createdAt: iso(job.createdAt) as string,
    updatedAt: iso(job.updatedAt) as string,
  };
}

export type CandidateView = NonNullable<NonNullable<Job['result']>['candidates']>[number] & {
  thumbnailUrl: string;
  /** The job's pick: the one attached once approved, the default of an approve until then. */
  picked: boolean;
  /** false when removed by an editor or deleted from the Media Library by hand. */
  fileExists: boolean;
};

/** The job's candidates with their Media Library thumbnails (`files` in the same order, null = gone). */
export function toCandidateViews(result: Job['result'], files: Array<LibraryFile | null>): CandidateView[] {
  return (result?.candidates ?? []).map((candidate, position) => {
    const file = files[position];
    return {
      ...candidate,
      url: file?.url ?? candidate.url,
      thumbnailUrl: file?.formats?.thumbnail?.url ?? file?.url ?? candidate.url,
      picked: candidate.fileId === result?.fileId,
      fileExists: Boolean(file),
    };
  });
}
