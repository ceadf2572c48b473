/**
 * Trigger outcomes for the admin: the latest outcome of each rule for one document locale, with the current
 * status of the job it names (a queued job may since be held by a budget, or have finished).
 */
import type { Core } from '@strapi/strapi';
import type { JobStore } from '../queue/job-store';
import type { JobStatus } from '../queue/statuses';
import { createOutcomeStore, type TriggerOutcome } from '../triggers/outcome-store';

export interface TriggerOutcomeView {
  rule: string;
  locale: string | null;
  event: TriggerOutcome['event'];
  outcome: TriggerOutcome['outcome'];
  reason: string | null;
  recordedAt: string;
  /** The job queued or duplicated, as it is now; null when none or since pruned. */
  job: { id: number; status: JobStatus; waitReason: string | null } | null;
  jobId: number | null;
}

export const createTriggerOutcomesService = ({ strapi, store }: { strapi: Core.Strapi; store: JobStore }) => {
  const outcomes = createOutcomeStore({ strapi });
  return {
    record: outcomes.record,
    forget: outcomes.forget,

    async forDocument(contentType: string, documentId: string, locale?: string | null): Promise<TriggerOutcomeView[]> {
      const found = await outcomes.forDocument(contentType, documentId, locale);
      return Promise.all(
        found.map(async (outcome) => {
          const job = outcome.jobId ? await store.findById(outcome.jobId) : null;
          return {
            rule: outcome.rule,
            locale: outcome.locale,
            event: outcome.event,
            outcome: outcome.outcome,
            reason: outcome.reason,
            recordedAt: outcome.recordedAt.toISOString(),
            jobId: outcome.jobId,
            job: job ? { id: job.id, status: job.status, waitReason: job.status === 'queued' ? (job.waitReason ?? null) : null } : null,
          };
        })
      );
    },
  };
};

export type TriggerOutcomesService = ReturnType<typeof createTriggerOutcomesService>;
