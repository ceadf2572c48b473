/** The durable job store and this process's worker. */
import type { Core } from '@strapi/strapi';
import { createJobStore } from '../queue/job-store';
import { createWorker, type Worker } from '../queue/worker';
import { createJobEvents } from '../events/job-events';
import { createPublishSweep } from '../triggers/publish-sweep';
import { getService } from '../utils/get-service';
import { LeaseLostError } from './pipeline';

export const createQueueService = ({ strapi }: { strapi: Core.Strapi }) => {
  const store = createJobStore({ strapi });
  const events = createJobEvents({ strapi, store });
  const publishSweep = createPublishSweep({ strapi, store });
  let worker: Worker | null = null;

  return {
    store,
    events,
    publishSweep,

    start(): void {
      const config = getService(strapi, 'config').get().queue;
      if (!config.worker || worker) return;
      worker = createWorker({
        store,
        config,
        log: strapi.log,
        events,
        execute: (job, leaseToken, signal) => getService(strapi, 'pipeline').run(job, leaseToken, signal),
        isLeaseLost: (error) => error instanceof LeaseLostError,
      });
      worker.start();
      strapi.log.info(`ai-assets: worker ${worker.owner} started (concurrency ${config.concurrency})`);
    },

    kick(): void {
      worker?.kick();
    },

    inFlightCount: () => worker?.inFlightCount() ?? 0,

    async stop(): Promise<void> {
      await worker?.stop();
      worker = null;
    },
  };
};

export type QueueService = ReturnType<typeof createQueueService>;
