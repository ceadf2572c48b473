/** What the backfill progress view shows of each provider batch. */
import type { BatchRecord } from './types';

export interface BatchView {
  remoteId: string | null;
  state: BatchRecord['state'];
  remoteStatus: string | null;
  jobCount: number;
  requestCounts: BatchRecord['requestCounts'];
  submittedAt: string | null;
  endedAt: string | null;
  errorMessage: string | null;
}

export const toBatchView = (batch: BatchRecord): BatchView => ({
  remoteId: batch.remoteId,
  state: batch.state,
  remoteStatus: batch.remoteStatus,
  jobCount: batch.jobCount,
  requestCounts: batch.requestCounts,
  submittedAt: batch.submittedAt ? new Date(batch.submittedAt).toISOString() : null,
  endedAt: batch.endedAt ? new Date(batch.endedAt).toISOString() : null,
  errorMessage: batch.errorMessage,
});
