/**
 * Batch mode (docs/batch-mode.md): the worker hands batch-mode jobs over here (`divert`) after their gates
 * passed; a timer on each instance groups, sends and polls them (server/src/batch/runner.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { WAITING_FOR_GROUP } from '../batch/lines';
import { createBatchRunner } from '../batch/runner';
import { createBatchStore } from '../batch/store';
import { toBatchView, type BatchView } from '../batch/view';
import type { JobStore } from '../queue/job-store';
import type { DivertJob } from '../queue/worker';
import { thisHost } from '../queue/lease-owner';
import { getService } from '../utils/get-service';

export const createBatchService = ({ strapi, store: jobStore }: { strapi: Core.Strapi; store: JobStore }) => {
  const store = createBatchStore({ strapi });
  const config = () => getService(strapi, 'config').get().batch;
  const runner = createBatchRunner({
    store,
    jobStore,
    findProvider: (name) => getService(strapi, 'providers').find(name),
    config,
    // Answered jobs are queued: a worker claims them at its next poll.
    onJobsQueued: () => undefined,
    onJobFailed: (jobId) => getService(strapi, 'jobEvents').emit('failed', jobId),
    owner: `${thisHost()}:${process.pid}:batch:${randomBytes(4).toString('hex')}`,
    log: strapi.log,
  });
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let stopped = true;

  function schedule(): void {
    if (stopped) return;
    // Due times live in the database; the timer only decides how soon this instance looks.
    const every = Math.max(100, Math.min(5000, config().pollIntervalMs, config().collectMs || 5000));
    timer = setTimeout(() => {
      ticking = runner
        .tick()
        .catch((error) => {
          strapi.log.error(`ai-assets: batch tick failed: ${(error as Error).message}`);
        })
        .finally(() => {
          ticking = null;
          schedule();
        });
    }, every);
    timer.unref?.();
  }

  /** Takes a claimed batch-mode job that has no answer yet into the pending pool. */
  const divert: DivertJob = async (job, leaseToken) => {
    if (job.mode !== 'batch' || job.checkpointData || job.resultFileId) return false;
    if (!getService(strapi, 'providers').find(job.provider)?.batch) return false;
    // Diverting was attempted: a job that left meanwhile (canceled between claim and park, lease taken over) is
    // not this worker's to run, and running it synchronously would pay the full price for a batch-mode job.
    await store.park(job.id, leaseToken, WAITING_FOR_GROUP);
    return true;
  };

  return {
    divert,

    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule();
    },

    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await ticking;
    },

    cancelForBackfill: (backfillId: number) => store.cancelForBackfill(backfillId),

    async listForBackfill(backfillId: number): Promise<BatchView[]> {
      return (await store.listForBackfill(backfillId)).map(toBatchView);
    },
  };
};

export type BatchService = ReturnType<typeof createBatchService>;
