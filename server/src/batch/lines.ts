/**
 * How jobs and batch lines refer to each other, and what a batch's end means for the jobs it still holds.
 * Pure functions: the batch service applies them to the database.
 */
import type { RemoteBatchStatus } from '../providers/batch-types';

const CUSTOM_ID = /^job-(\d+)$/;

/** `custom_id` of a job's line; unique within a file, and it names the job in OpenAI's dashboard too. */
export const customIdOf = (jobId: number): string => `job-${jobId}`;

/** The job a line belongs to, or null for a line that is not ours. */
export function jobIdOf(customId: string): number | null {
  const match = CUSTOM_ID.exec(customId);
  return match ? Number(match[1]) : null;
}

/** Statuses after which the provider changes nothing more: the output and error files are final. */
const TERMINAL: RemoteBatchStatus[] = ['completed', 'expired', 'failed', 'cancelled'];

export const isTerminal = (status: RemoteBatchStatus): boolean => TERMINAL.includes(status);

/** A cancel is sent only while the provider can still act on it. */
export const canCancel = (status: RemoteBatchStatus): boolean => ['validating', 'in_progress', 'finalizing'].includes(status);

export type UnfinishedFate = { kind: 'requeue' } | { kind: 'cancel' } | { kind: 'fail'; code: string; message: string };

/** Why a job got no answer from a batch that ended, in words an editor understands. */
export function endedWithoutAnswer(status: RemoteBatchStatus, remoteId: string, problem: string | null): { code: string; message: string } {
  switch (status) {
    case 'expired':
      return { code: 'batch_expired', message: `OpenAI batch ${remoteId} expired (24 h window) before this image was made.` };
    case 'failed':
      return { code: 'batch_failed', message: `OpenAI batch ${remoteId} failed${problem ? `: ${problem}` : ''}.` };
    case 'cancelled':
      return { code: 'batch_cancelled', message: `OpenAI batch ${remoteId} was cancelled before this image was made.` };
    default:
      return { code: 'batch_no_answer', message: `OpenAI batch ${remoteId} completed without an answer for this image.` };
  }
}

/**
 * A job the ended batch did not answer: canceled with its batch, sent again in a later batch while attempts
 * remain, else failed with the reason.
 */
export function unfinishedFate(input: { cancelRequested: boolean; attempts: number; maxAttempts: number; reason: { code: string; message: string } }): UnfinishedFate {
  if (input.cancelRequested) return { kind: 'cancel' };
  if (input.attempts < input.maxAttempts) return { kind: 'requeue' };
  return { kind: 'fail', code: input.reason.code, message: `${input.reason.message} Gave up after ${input.attempts} attempts.` };
}

/** What the job view shows while a job waits for its batch. */
export function waitingInBatch(remoteId: string, submittedAt: Date): string {
  return `In OpenAI batch ${remoteId}, submitted at ${submittedAt.toISOString()}.`;
}

/** Error-file codes of lines the provider never ran (the batch ended first): not the request's fault. */
export const isUnexecuted = (code: string): boolean => code === 'batch_expired' || code === 'batch_cancelled';

export const WAITING_FOR_GROUP = 'Waiting to be sent in an OpenAI batch.';
