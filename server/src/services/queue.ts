/** This process's worker over the job store it is given. */
import type { Core } from '@strapi/strapi';
import type { JobStore } from '../queue/job-store';
import { LeaseLostError } from '../queue/errors';
import { createWorker, type Worker } from '../queue/worker';
import { createBudgetGate } from '../queue/budget-gate';
import { createSpendReader } from '../queue/spend';
import { createJobCostEstimator } from '../providers/estimate';
import { getService } from '../utils/get-service';

export const createQueueService = ({ strapi, store }: { strapi: Core.Strapi; store: JobStore }) => {
  const spend = createSpendReader({ strapi });
  let worker: Worker | null = null;

  return {
    spend,

    start(): void {
      const { queue: config, budgets } = getService(strapi, 'config').get();
      if (!config.worker || worker) return;
      worker = createWorker({
        store,
        config,
        log: strapi.log,
        events: getService(strapi, 'jobEvents'),
        execute: (job, leaseToken, signal) => getService(strapi, 'pipeline').run(job, leaseToken, signal),
        isLeaseLost: (error) => error instanceof LeaseLostError,
        divert: getService(strapi, 'batches').divert,
        gates: budgets.length
          ? [createBudgetGate({ budgets, spend, estimate: createJobCostEstimator(getService(strapi, 'providers')), recheckMs: Math.max(2000, config.pollIntervalMs * 5) })]
          : [],
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
