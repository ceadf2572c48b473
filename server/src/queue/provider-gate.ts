/**
 * The provider gate, seen from the queue: a job whose provider call had to wait for a limit or a pause
 * (ProviderWaitError: nothing was sent) is not a failure. It goes back to `queued` with its attempt given
 * back, runs again when the limit frees (claimed just before, see ProviderWaitError.retryAt), and shows why it
 * waits in `errorMessage`.
 */
import { ProviderWaitError } from '../providers/limits';
import { holdBack } from './gates';
import type { WorkerStore } from './worker';
import type { Job } from './types';

/** The wait `error` stands for, or null when it is a real failure. */
export function providerWaitOf(error: unknown): ProviderWaitError | null {
  return error instanceof ProviderWaitError ? error : null;
}

/** Puts the held job back until the wait ends; false when the lease was lost meanwhile. */
export async function releaseForWait(store: Pick<WorkerStore, 'updateHeld'>, job: Job, leaseToken: string, wait: ProviderWaitError): Promise<boolean> {
  // errorCode/errorMessage too: they are what the job list shows for a job that has not run yet.
  return holdBack(store, job, leaseToken, { reason: wait.message, retryAt: wait.retryAt }, { errorCode: wait.code, errorMessage: wait.message, errorRetryable: true });
}
