/** This process's worker over the job store it is given. */
import type { Core } from '@strapi/strapi';
import type { JobStore } from '../queue/job-store';
import { LeaseLostError } from '../queue/errors';
import { createWorker, type Worker } from '../queue/worker';
import { getService } from '../utils/get-service';

export const createQueueService = ({ strapi, store }: { strapi: Core.Strapi; store: JobStore }) => {
  let worker: Worker | null = null;

  return {
    start(): void {
      const config = getService(strapi, 'config').get().queue;
      if (!config.worker || worker) return;
      worker = createWorker({
        store,
        config,
        log: strapi.log,
        events: getService(strapi, 'jobEvents'),
        execute: (job, leaseToken, signal) => getService(strapi, 'pipeline').run(job, leaseToken, signal),
        isLeaseLost: (error) => error instanceof LeaseLostError,
      });
      worker.start();
      strapi.log.info(`ai-assets: worker ${worker.owner} started (concurrency ${config.concurrency})`);
    },

    inFlightCount: () => worker?.inFlightCount() ?? 0,

    async stop(): Promise<void> {
      await worker?.stop();
      worker = null;
    },
  };
};

export type QueueService = ReturnType<typeof createQueueService>;
