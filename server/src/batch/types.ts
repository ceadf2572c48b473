/** One row of plugin::ai-assets.batch: a group of jobs sent to a provider's Batch API. */
import type { RemoteBatchStatus } from '../providers/batch-types';

/**
 * preparing: jobs taken into the group, file not yet accepted by the provider; submitted: the provider has it
 * (polled until it ends); ended: its results were mapped back to its jobs; abandoned: never reached the provider.
 */
export type BatchState = 'preparing' | 'submitted' | 'ended' | 'abandoned';

export interface BatchRecord {
  id: number;
  provider: string;
  backfillId: number | null;
  state: BatchState;
  remoteId: string | null;
  remoteStatus: RemoteBatchStatus | null;
  inputFileId: string | null;
  outputFileId: string | null;
  errorFileId: string | null;
  requestCounts: { total: number; completed: number; failed: number } | null;
  jobCount: number;
  leaseOwner: string | null;
  leaseExpiresAt: string | Date | null;
  nextPollAt: string | Date | null;
  cancelRequested: boolean;
  submittedAt: string | Date | null;
  endedAt: string | Date | null;
  errorMessage: string | null;
}
