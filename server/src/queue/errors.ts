/** Errors of the job queue's own domain: state changes refused, and claims lost while working. */
import { AiAssetsError } from '../errors/domain';

/** A state change that is not allowed now (another actor changed the job first, or the status forbids it). */
export class JobStateError extends AiAssetsError {
  readonly code = 'job_state';
  readonly retryable = false;
}

/** The worker lost this job (canceled by an editor, or its lease was taken over): stop quietly. */
export class LeaseLostError extends AiAssetsError {
  readonly code = 'lease_lost';
  readonly retryable = false;
  constructor(jobId: number) {
    super(`Job ${jobId} is no longer held by this worker.`);
  }
}
