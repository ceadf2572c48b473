/** Expected cost of a job before it runs, from its provider's price table (estimates and budgets share it). */
import type { Job } from '../queue/types';
import type { ProviderRegistry } from './registry';

export type JobCostEstimator = (job: Pick<Job, 'provider' | 'operation' | 'params'>) => number | undefined;

export function createJobCostEstimator(providers: Pick<ProviderRegistry, 'find'>): JobCostEstimator {
  return (job) => providers.find(job.provider)?.estimateCostUsd?.({ operation: job.operation, params: job.params ?? {} });
}
