/**
 * Candidates: a review rule with `params.n` > 1 gets n images from one provider call, each stored (renditions,
 * provenance) as a candidate of the job. The job's `result` is the pick (the first candidate until an editor
 * approves another); `result.candidates` lists them all, removed ones marked, so the job keeps its history.
 *
 * n > 1 needs `review: true`: without a reviewer nobody chooses, so n - 1 images would be paid for and never
 * used. That is refused at startup (and for regenerate overrides) naming `params.n`, rather than attaching the
 * first and silently billing the rest.
 */
import type { CandidateResult, Job, JobResult } from '../queue/types';
import { fileIdsOf } from './rendition-plan';

/** How many images the job asks the provider for. */
export function requestedImageCount(params: Record<string, unknown> | null | undefined): number {
  const n = params?.n;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 1;
}

/** Why `n` cannot be asked of this provider for this rule, or null. */
export function candidateCountProblem(n: number, maxImages: number, review: boolean, providerName: string): string | null {
  if (n > maxImages) return `provider "${providerName}" returns at most ${maxImages} image${maxImages === 1 ? '' : 's'} per call`;
  if (n > 1 && !review) return 'more than one image needs review: true (an editor picks one; without review the others would be paid for and never used)';
  return null;
}

/** Whether a stored candidate is gone from the Media Library on purpose (removed by an editor). */
export const isRemoved = (candidate: CandidateResult) => Boolean(candidate.removedAt);

/** A job result that lists candidates: the pick at the top level, every candidate below. */
export function withCandidates(candidates: CandidateResult[], pick = 0): JobResult {
  const { index: _index, removedAt: _removedAt, ...chosen } = candidates[pick];
  return { ...chosen, candidates };
}

/** The index of the result's pick (0 for a result without candidates). */
export function pickIndex(result: JobResult | null | undefined): number {
  return result?.candidates?.find((entry) => entry.fileId === result.fileId)?.index ?? 0;
}

/** Why candidate `index` of `job` cannot be approved, or null. Approving without an index takes the current pick. */
export function candidateChoiceProblem(job: Pick<Job, 'id' | 'result'>, index: number): string | null {
  const candidates = job.result?.candidates;
  if (!candidates) return index === 0 ? null : `Job ${job.id} has one image: there is no candidate ${index}.`;
  const candidate = candidates.find((entry) => entry.index === index);
  if (!candidate) return `Job ${job.id} has candidates 0 to ${candidates.length - 1}: there is no candidate ${index}.`;
  if (isRemoved(candidate)) return `Candidate ${index} of job ${job.id} was removed.`;
  return null;
}

export type RemovalRefusal = { conflict: boolean; message: string };

/**
 * Why candidate `index` cannot be removed now, or null. The attached one stays (it is on the entry), and a job
 * still waiting for review keeps at least one candidate to approve (reject it to give up on all).
 */
export function candidateRemovalProblem(job: Pick<Job, 'id' | 'status' | 'result' | 'attachedAt'>, index: number): RemovalRefusal | null {
  const candidates = job.result?.candidates;
  const candidate = candidates?.find((entry) => entry.index === index);
  if (!candidates || !candidate) return { conflict: false, message: `Job ${job.id} has no candidate ${index}.` };
  if (isRemoved(candidate)) return { conflict: true, message: `Candidate ${index} of job ${job.id} is already removed.` };
  if (job.status === 'queued' || job.status === 'running') return { conflict: true, message: `Job ${job.id} is still running.` };
  // Claimed by an approve that has not attached yet: its choice is not on the row, so nothing may go now.
  if (job.status === 'approved' && !job.attachedAt) return { conflict: true, message: `Job ${job.id} is being approved right now: try again in a moment.` };
  if ((job.status === 'approved' || job.status === 'succeeded') && candidate.fileId === job.result?.fileId) {
    return { conflict: true, message: `Candidate ${index} is the image attached to the entry: it cannot be removed.` };
  }
  if (job.status === 'awaiting_review' && candidates.filter((entry) => !isRemoved(entry)).length === 1) {
    return { conflict: true, message: `Candidate ${index} is the last one left: reject the job instead.` };
  }
  return null;
}

/** The job's result after candidate `index` is removed: marked, and the pick moved to the first one left if it was the pick. */
export function resultWithoutCandidate(result: JobResult, index: number, now: Date): JobResult {
  const candidates = (result.candidates ?? []).map((entry) => (entry.index === index ? { ...entry, removedAt: now.toISOString() } : entry));
  const pick = candidates.findIndex((entry) => entry.fileId === result.fileId && !isRemoved(entry));
  const firstLeft = candidates.findIndex((entry) => !isRemoved(entry));
  return withCandidates(candidates, pick !== -1 ? pick : Math.max(firstLeft, 0));
}

/** Every Media Library file a result holds: each candidate's renditions, or the result's own. */
export function allFileIdsOf(result: JobResult): number[] {
  return result.candidates ? result.candidates.filter((entry) => !isRemoved(entry)).flatMap(fileIdsOf) : fileIdsOf(result);
}
