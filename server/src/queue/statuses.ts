/** Job statuses (PRODUCT.md "Statuses") and the groups the code asks about. */
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

/** A job in one of these blocks a new job with the same input hash (dedupe). */
export const DEDUPE_BLOCKING_STATUSES: JobStatus[] = ['queued', 'running', 'awaiting_review', 'succeeded', 'approved'];
export const IN_FLIGHT_STATUSES: JobStatus[] = ['queued', 'running'];
export const FINAL_STATUSES: JobStatus[] = ['succeeded', 'approved', 'rejected', 'failed', 'canceled'];
