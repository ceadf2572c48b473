/** Reading jobs and entries straight from the booted app's database. */
import type { Core } from '@strapi/strapi';
import { StopWaiting, waitFor } from './wait';

const JOB_UID = 'plugin::ai-assets.job';

export type JobRow = Record<string, any> & { id: number; status: string };

export const allJobs = async (strapi: Core.Strapi): Promise<JobRow[]> =>
  (await strapi.db.query(JOB_UID).findMany({ orderBy: { id: 'asc' } })) as JobRow[];

export const jobById = async (strapi: Core.Strapi, id: number): Promise<JobRow> =>
  (await strapi.db.query(JOB_UID).findOne({ where: { id } })) as JobRow;

/** Waits until the job reaches one of `statuses` (a failed job fails the wait at once with its reason). */
export function waitForJobStatus(strapi: Core.Strapi, id: number, statuses: string[], timeoutMs = 30_000): Promise<JobRow> {
  return waitFor(
    async () => {
      const job = await jobById(strapi, id);
      if (job && !statuses.includes(job.status) && job.status === 'failed') throw new StopWaiting(`job ${id} failed: ${job.errorMessage}`);
      return job && statuses.includes(job.status) ? job : null;
    },
    { timeoutMs, what: `job ${id} to become ${statuses.join(' or ')}` }
  );
}

export async function waitForFirstJob(strapi: Core.Strapi, where: Record<string, unknown> = {}): Promise<JobRow> {
  return waitFor(async () => (await strapi.db.query(JOB_UID).findOne({ where, orderBy: { id: 'desc' } })) as JobRow | null, { what: 'a job to be queued' });
}

export async function createArticle(strapi: Core.Strapi, data: Record<string, unknown>, locale = 'en') {
  return strapi.documents('api::article.article' as never).create({ data, locale } as never) as Promise<Record<string, any>>;
}

export async function findArticle(strapi: Core.Strapi, documentId: string, status: 'draft' | 'published', locale = 'en') {
  return strapi.documents('api::article.article' as never).findOne({ documentId, status, locale, populate: ['cover', 'gallery', 'photo', 'ogImage', 'thumb'] } as never) as Promise<Record<string, any> | null>;
}
