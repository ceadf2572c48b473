/**
 * Batch records and the moves of the jobs they hold, on Strapi's database. Jobs in batch mode stay `running`
 * (their cost is committed, so budgets count them) with a lease owner naming where they are:
 * `batch:pending` waiting to be grouped, `batch:<id>` inside batch record <id>. Every move is a
 * compare-and-set on that owner, so two instances never group one job twice or apply one result twice.
 */
import type { Core } from '@strapi/strapi';
import { BATCH_UID, JOB_UID } from '../content-types';
import type { Job } from '../queue/types';
import type { BatchRecord, BatchState } from './types';

export const PENDING_OWNER = 'batch:pending';
export const batchOwner = (batchId: number): string => `batch:${batchId}`;

export interface PendingGroup {
  provider: string;
  backfillId: number | null;
  jobs: number;
  oldestParkedAt: Date;
}

const OPEN_STATES: BatchState[] = ['preparing', 'submitted'];

export const createBatchStore = ({ strapi }: { strapi: Core.Strapi }) => {
  const batches = () => strapi.db.query(BATCH_UID);
  const jobs = () => strapi.db.query(JOB_UID);

  async function findById(id: number): Promise<BatchRecord | null> {
    return (await batches().findOne({ where: { id } })) as BatchRecord | null;
  }

  return {
    findById,

    /** Parks a claimed job (held by `leaseToken`) until a batch takes it; `runAt` records when it started waiting. */
    async park(jobId: number, leaseToken: string, waitReason: string): Promise<boolean> {
      const { count } = await jobs().updateMany({
        where: { id: jobId, status: 'running', leaseOwner: leaseToken },
        data: { leaseOwner: PENDING_OWNER, leaseExpiresAt: null, runAt: new Date(), waitReason },
      });
      return count > 0;
    },

    /** Parked jobs by provider and backfill (one batch never mixes them), with how long the oldest waited. */
    async pendingGroups(): Promise<PendingGroup[]> {
      const metadata = strapi.db.metadata.get(JOB_UID);
      const column = (name: string) => (metadata.attributes[name] as { columnName?: string }).columnName ?? name;
      const rows = (await strapi.db
        .connection(metadata.tableName)
        .where(column('status'), 'running')
        .andWhere(column('leaseOwner'), PENDING_OWNER)
        .select({ provider: column('provider'), backfillId: column('backfillId') })
        .count({ jobs: '*' })
        .min({ oldest: column('runAt') })
        .groupBy(column('provider'), column('backfillId'))) as Array<{ provider: string; backfillId: number | null; jobs: number | string; oldest: unknown }>;
      return rows.map((row) => ({
        provider: row.provider,
        backfillId: row.backfillId === null ? null : Number(row.backfillId),
        jobs: Number(row.jobs),
        // SQLite hands back the stored epoch milliseconds, other databases a date.
        oldestParkedAt: new Date(typeof row.oldest === 'string' && /^\d+$/.test(row.oldest) ? Number(row.oldest) : (row.oldest as string | number | Date)),
      }));
    },

    /**
     * Fails the group's parked jobs with `message` (their provider lost its Batch API), each with the attempt
     * log `attemptLogOf` gives it; returns the ids it failed. One compare-and-set per job: a job another
     * instance moved meanwhile is left alone.
     */
    async failPending(group: { provider: string; backfillId: number | null }, code: string, message: string, attemptLogOf: (job: Job, failedAt: Date) => Job['attemptLog']): Promise<number[]> {
      const where = { status: 'running', leaseOwner: PENDING_OWNER, provider: group.provider, backfillId: group.backfillId ?? { $null: true } };
      const parked = (await jobs().findMany({ select: ['id', 'attempts', 'startedAt', 'attemptLog'], where })) as Job[];
      const failed: number[] = [];
      for (const job of parked) {
        const now = new Date();
        const { count } = await jobs().updateMany({
          where: { ...where, id: job.id },
          data: { status: 'failed', finishedAt: now, errorCode: code, errorMessage: message, errorRetryable: false, leaseOwner: null, leaseExpiresAt: null, waitReason: null, activeHash: null, attemptLog: attemptLogOf(job, now) },
        });
        if (count > 0) failed.push(job.id);
      }
      return failed;
    },

    /** A new record for one group, leased by `owner` while it is being submitted. */
    async create(group: { provider: string; backfillId: number | null }, owner: string, leaseMs: number): Promise<BatchRecord> {
      return (await batches().create({
        data: { provider: group.provider, backfillId: group.backfillId, state: 'preparing', leaseOwner: owner, leaseExpiresAt: new Date(Date.now() + leaseMs), cancelRequested: false, jobCount: 0 },
      })) as BatchRecord;
    },

    /** Moves up to `limit` parked jobs of the group into `batch`; returns the jobs it got (others may take the rest). */
    async takeJobs(batch: BatchRecord, limit: number): Promise<Job[]> {
      const where = { status: 'running', leaseOwner: PENDING_OWNER, provider: batch.provider, backfillId: batch.backfillId ?? { $null: true } };
      const candidates = (await jobs().findMany({ select: ['id'], where, orderBy: { id: 'asc' }, limit })) as Array<{ id: number }>;
      if (candidates.length === 0) return [];
      await jobs().updateMany({
        where: { id: { $in: candidates.map((job) => job.id) }, status: 'running', leaseOwner: PENDING_OWNER },
        data: { leaseOwner: batchOwner(batch.id), batchId: batch.id },
      });
      return (await jobs().findMany({ where: { batchId: batch.id, status: 'running', leaseOwner: batchOwner(batch.id) }, orderBy: { id: 'asc' } })) as Job[];
    },

    /** Writes `data` to the record only while `owner` holds its lease. */
    async updateLeased(id: number, owner: string, data: Partial<BatchRecord>): Promise<boolean> {
      const { count } = await batches().updateMany({ where: { id, leaseOwner: owner }, data: data as Record<string, unknown> });
      return count > 0;
    },

    /** Takes the lease of a record in `state` that nobody holds (or whose holder died); one statement. */
    async claim(id: number, state: BatchState, owner: string, leaseMs: number): Promise<boolean> {
      const now = new Date();
      const { count } = await batches().updateMany({
        where: { id, state, $or: [{ leaseExpiresAt: { $null: true } }, { leaseExpiresAt: { $lt: now } }] },
        data: { leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + leaseMs) },
      });
      return count > 0;
    },

    /** Submitted batches due for a poll that nobody is polling. */
    async findDue(now: Date, limit: number): Promise<BatchRecord[]> {
      return (await batches().findMany({
        where: { state: 'submitted', nextPollAt: { $lte: now }, $or: [{ leaseExpiresAt: { $null: true } }, { leaseExpiresAt: { $lt: now } }] },
        orderBy: { nextPollAt: 'asc' },
        limit,
      })) as BatchRecord[];
    },

    /** Records left in `preparing` by a process that died while submitting them. */
    async findStalePreparing(now: Date): Promise<BatchRecord[]> {
      return (await batches().findMany({ where: { state: 'preparing', leaseExpiresAt: { $lt: now } }, limit: 10 })) as BatchRecord[];
    },

    /** Jobs the batch still holds (no answer mapped yet). */
    async heldJobs(batchId: number, limit: number): Promise<Job[]> {
      return (await jobs().findMany({ where: { batchId, status: 'running', leaseOwner: batchOwner(batchId) }, orderBy: { id: 'asc' }, limit })) as Job[];
    },

    async heldJob(batchId: number, jobId: number): Promise<Job | null> {
      return (await jobs().findOne({ where: { id: jobId, batchId, status: 'running', leaseOwner: batchOwner(batchId) } })) as Job | null;
    },

    /** Moves a job the batch holds; false when it left meanwhile (canceled by an editor, or already mapped). */
    async moveHeld(batchId: number, jobId: number, data: Partial<Job>): Promise<boolean> {
      const { count } = await jobs().updateMany({ where: { id: jobId, status: 'running', leaseOwner: batchOwner(batchId) }, data: data as Record<string, unknown> });
      return count > 0;
    },

    /** Shows every held job where it waits. */
    async setWaitReason(batchId: number, waitReason: string): Promise<void> {
      await jobs().updateMany({ where: { batchId, status: 'running', leaseOwner: batchOwner(batchId) }, data: { waitReason } });
    },

    /** A batch that never reached the provider gives its jobs back to the pending pool. */
    async returnToPending(batchId: number): Promise<number> {
      const { count } = await jobs().updateMany({ where: { batchId, status: 'running', leaseOwner: batchOwner(batchId) }, data: { leaseOwner: PENDING_OWNER, batchId: null } });
      return count;
    },

    /** Asks the open batches of a backfill to cancel (the poller sends it), and cancels its jobs not yet in a batch. */
    async cancelForBackfill(backfillId: number): Promise<void> {
      await batches().updateMany({ where: { backfillId, state: { $in: OPEN_STATES } }, data: { cancelRequested: true, nextPollAt: new Date() } });
      await jobs().updateMany({
        where: { backfillId, status: 'running', leaseOwner: PENDING_OWNER },
        data: { status: 'canceled', finishedAt: new Date(), leaseOwner: null, waitReason: null, activeHash: null },
      });
    },

    /** The batches of a backfill, newest first (progress view). */
    async listForBackfill(backfillId: number, limit = 20): Promise<BatchRecord[]> {
      return (await batches().findMany({ where: { backfillId }, orderBy: { id: 'desc' }, limit })) as BatchRecord[];
    },

    async remove(id: number): Promise<void> {
      await batches().delete({ where: { id } });
    },
  };
};

export type BatchStore = ReturnType<typeof createBatchStore>;
