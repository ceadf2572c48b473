/**
 * Job rows have a lifecycle: once a job ended longer ago than `retention.jobsDays`, it is deleted by a daily
 * cron task (each instance runs it; the delete is idempotent, so instances racing only repeat a no-op).
 * Large payloads (mask, checkpoint bytes) are already dropped when a job ends for good (see job-store).
 */
import type { Core } from '@strapi/strapi';
import type { RetentionConfig } from '../config/schema';
import type { JobStore } from './job-store';

const DAY_MS = 24 * 3600 * 1000;
export const RETENTION_TASK = 'ai-assets-job-retention';

export async function pruneJobs(store: JobStore, retention: RetentionConfig, now: Date = new Date()): Promise<number> {
  if (retention.jobsDays === 0) return 0;
  return store.pruneFinished(new Date(now.getTime() - retention.jobsDays * DAY_MS));
}

/** Registers the daily prune (03:17 server time, off the hour most cron jobs use). */
export function scheduleRetention(strapi: Core.Strapi, store: JobStore, retention: RetentionConfig): void {
  if (retention.jobsDays === 0) return;
  strapi.cron.add({
    [RETENTION_TASK]: {
      task: async () => {
        try {
          const deleted = await pruneJobs(store, retention);
          if (deleted > 0) strapi.log.info(`ai-assets: deleted ${deleted} jobs that ended more than ${retention.jobsDays} days ago`);
        } catch (error) {
          strapi.log.error(`ai-assets: pruning old jobs failed: ${(error as Error).message}`);
        }
      },
      options: { rule: '17 3 * * *' },
    },
  });
}
