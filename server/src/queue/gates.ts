/**
 * Gates the worker asks right after claiming a job and before running it (budgets, provider limits). A gate
 * that says "wait" puts the job back as `queued` with the attempt given back and a reason the admin shows.
 */
import type { JobStore } from './job-store';
import type { Job } from './types';

export interface GateWait {
  /** Shown on the job, e.g. "monthly budget of $50 for openai reached; resumes on Dec 1". */
  reason: string;
  retryAt: Date;
}

export type JobGate = (job: Job) => Promise<GateWait | null>;

/**
 * Puts a held job back as `queued` until `wait.retryAt`, its attempt given back and `wait.reason` shown; the one
 * way every kind of wait (gates here, provider limits in provider-gate.ts) releases a job without failing it.
 */
export async function holdBack(
  store: Pick<JobStore, 'updateHeld'>,
  job: Job,
  leaseToken: string,
  wait: GateWait,
  extra: Partial<Job> = {}
): Promise<boolean> {
  return store.updateHeld(job.id, leaseToken, {
    status: 'queued',
    attempts: Math.max(0, job.attempts - 1),
    runAt: wait.retryAt,
    leaseOwner: null,
    leaseExpiresAt: null,
    waitReason: wait.reason,
    ...extra,
  });
}

/** Returns the wait that held the job back, or null when it may run now (and clears an old wait reason). */
export async function passGates(store: Pick<JobStore, 'updateHeld'>, job: Job, gates: JobGate[]): Promise<GateWait | null> {
  const leaseToken = job.leaseOwner as string;
  for (const gate of gates) {
    const wait = await gate(job);
    if (!wait) continue;
    await holdBack(store, job, leaseToken, wait);
    return wait;
  }
  if (job.waitReason) await store.updateHeld(job.id, leaseToken, { waitReason: null });
  return null;
}
