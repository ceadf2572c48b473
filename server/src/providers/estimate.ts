/** Expected cost of a job before it runs, from its provider's price table (estimates and budgets share it). */
import type { Job } from '../queue/types';
import type { ProviderRegistry } from './registry';

export type JobCostEstimator = (job: Pick<Job, 'provider' | 'operation' | 'params'> & { mode?: Job['mode'] }) => number | undefined;

export function createJobCostEstimator(providers: Pick<ProviderRegistry, 'find'>): JobCostEstimator {
  return (job) => {
    const provider = providers.find(job.provider);
    const cost = provider?.estimateCostUsd?.({ operation: job.operation, params: job.params ?? {} });
    // Batch jobs are billed at the Batch API's share of the synchronous price.
    if (cost === undefined || job.mode !== 'batch' || !provider?.batch) return cost;
    return Math.round(cost * provider.batch.priceFactor * 1e6) / 1e6;
  };
}
