/**
 * An entry's image history for a field: every image the plugin attached there, read from the job table (the
 * jobs that attached, approvals and reverts alike), newest first. A revert is recorded as a job of its own
 * (trigger `revert`, parent = the job whose image it put back), so the history is a plain log of attaches.
 */
import type { Job, JobResult } from '../queue/types';
import { attachmentsOf } from './rendition-plan';

export interface AttachedImage {
  field: string;
  fileId: number;
}

export interface HistoryEntry extends AttachedImage {
  jobId: number;
  rule: string;
  trigger: Job['trigger'];
  attachedAt: string;
  /** For a revert: the job whose image it put back. */
  revertOf: number | null;
}

/** A history entry as the admin gets it (GET /ai-assets/history). */
export interface HistoryImage extends HistoryEntry {
  url: string | null;
  thumbnailUrl: string | null;
  width: number | null;
  height: number | null;
  /** false once the file was deleted from the Media Library: it can no longer be put back. */
  fileExists: boolean;
  /** The field holds this file now (in the draft). */
  current: boolean;
}

/** The (field, file) pairs job `job` attached: its named renditions when it attached to the rule's target, else its one file. */
export function attachedImagesOf(job: Pick<Job, 'attachedAt' | 'attachedField' | 'resultFileId' | 'targetField' | 'result'>): AttachedImage[] {
  if (!job.attachedAt || !job.attachedField || !job.resultFileId) return [];
  if (job.result?.renditions && job.attachedField === job.targetField) {
    return attachmentsOf({ fileId: job.resultFileId, renditions: job.result.renditions }, job.targetField);
  }
  return [{ field: job.attachedField, fileId: job.resultFileId }];
}

/** Every attach of `jobs` (to `field`, or to any field), the latest first. */
export function historyEntries(jobs: Job[], field?: string): HistoryEntry[] {
  const entries = jobs.flatMap((job) =>
    attachedImagesOf(job)
      .filter((image) => field === undefined || image.field === field)
      .map((image) => ({
        ...image,
        jobId: job.id,
        rule: job.rule,
        trigger: job.trigger,
        attachedAt: new Date(job.attachedAt as string | Date).toISOString(),
        revertOf: job.trigger === 'revert' ? job.parentJobId : null,
      }))
  );
  return entries.sort((a, b) => b.attachedAt.localeCompare(a.attachedAt) || b.jobId - a.jobId);
}

/** The result a revert records: the facts of the file it puts back, from the job that made it. */
export function resultForFile(result: JobResult | null, fileId: number): JobResult | null {
  if (!result) return null;
  const { candidates: _candidates, renditions, ...own } = result;
  if (own.fileId === fileId) return own;
  const rendition = renditions?.find((entry) => entry.fileId === fileId);
  if (!rendition) return null;
  const { name: _name, target: _target, ...file } = rendition;
  return { ...file, name: rendition.name, provenance: own.provenance };
}
