/**
 * The plugin's own webhook events. They are registered in Strapi's webhook settings (Settings > Webhooks lists
 * them next to `entry.*`), and emitted on Strapi's event hub when a job reaches a status an outside pipeline
 * cares about. Payloads carry what a receiver needs to act (job, entry, file URL, readable error), never a key.
 * See docs/events.md.
 */
import type { Core } from '@strapi/strapi';
import type { JobStore } from '../queue/job-store';
import type { Job } from '../queue/types';

export const JOB_EVENTS = {
  succeeded: 'ai-assets.job.succeeded',
  awaiting_review: 'ai-assets.job.awaiting_review',
  failed: 'ai-assets.job.failed',
  approved: 'ai-assets.job.approved',
  /** An editor put an earlier image back (the job announced is the `revert` job recording it). */
  reverted: 'ai-assets.job.reverted',
} as const;

export type AnnouncedStatus = keyof typeof JOB_EVENTS;

export interface JobEventPayload {
  job: {
    id: number;
    rule: string;
    contentType: string;
    documentId: string;
    locale: string | null;
    status: AnnouncedStatus;
    trigger: string;
    /** The uploaded file's URL as the upload provider stored it (relative `/uploads/...` for the local provider). */
    fileUrl: string | null;
    fileId: number | null;
    attachedField: string | null;
    error: { code: string; message: string; retryable: boolean } | null;
  };
}

/** Adds the events to Strapi's webhook store so they can be chosen in Settings > Webhooks. */
export function registerJobWebhookEvents(strapi: Core.Strapi): void {
  const webhookStore = strapi.get('webhookStore') as { addAllowedEvent(key: string, value: string): void };
  for (const [status, event] of Object.entries(JOB_EVENTS)) webhookStore.addAllowedEvent(`AI_ASSETS_JOB_${status.toUpperCase()}`, event);
}

export function jobEventPayload(job: Job, status: AnnouncedStatus): JobEventPayload {
  return {
    job: {
      id: job.id,
      rule: job.rule,
      contentType: job.contentType,
      documentId: job.targetDocumentId,
      locale: job.targetLocale ?? null,
      status,
      trigger: job.trigger,
      fileUrl: job.result?.url ?? null,
      fileId: job.resultFileId ?? null,
      attachedField: job.attachedField ?? null,
      error: job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? '', retryable: Boolean(job.errorRetryable) } : null,
    },
  };
}

export const createJobEvents = ({ strapi, store }: { strapi: Core.Strapi; store: JobStore }) => ({
  /**
   * Announces that job `jobId` reached `status`. Never throws and never delays the caller: the row is read
   * again so the payload shows what was committed, and a failing subscriber only logs.
   */
  emit(status: AnnouncedStatus, jobId: number): void {
    void (async () => {
      const job = await store.findById(jobId);
      if (job) await strapi.eventHub.emit(JOB_EVENTS[status], jobEventPayload(job, status));
    })().catch((error) => strapi.log.error(`ai-assets: could not announce job ${jobId} ${status}: ${(error as Error).message}`));
  },
});

export type JobEvents = ReturnType<typeof createJobEvents>;
