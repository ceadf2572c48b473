/** Articles and jobs through the server's HTTP API with an admin JWT, as the admin itself would. */
import type { Core } from '@strapi/strapi';
import { api, login } from '../../integration/support/admin';
import { StopWaiting, waitFor } from '../../integration/support/wait';

const ARTICLE = 'api::article.article';

export type AdminApi = ReturnType<typeof api>;

export interface JobView {
  id: number;
  status: string;
  documentId: string;
  parentJobId: number | null;
  prompt: string;
  result: { fileId: number; url: string; thumbnailUrl: string | null } | null;
  [key: string]: unknown;
}

export async function adminApi(strapi: Core.Strapi, email: string): Promise<AdminApi> {
  return api(strapi, await login(strapi, email));
}

/** Creates a draft entry through the Content Manager routes (like the Save button); its documentId. */
export async function createEntry(admin: AdminApi, uid: string, body: Record<string, unknown>, locale?: string): Promise<string> {
  const created = await admin.post(`/content-manager/collection-types/${uid}${locale ? `?locale=${locale}` : ''}`, body);
  if (created.status !== 201) throw new Error(`create ${uid} failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.data.documentId as string;
}

/** Creates an article in locale en and publishes it through the Content Manager routes (like the Publish button). */
export async function publishArticle(admin: AdminApi, title: string): Promise<string> {
  const body = { title, summary: `About ${title}.` };
  const documentId = await createEntry(admin, ARTICLE, body, 'en');
  const published = await admin.post(`/content-manager/collection-types/${ARTICLE}/${documentId}/actions/publish?locale=en`, body);
  if (published.status !== 200) throw new Error(`publish failed: ${published.status} ${JSON.stringify(published.body)}`);
  return documentId;
}

/** The article's draft in locale en as the Content Manager reads it (media fields populated). */
export async function getArticleDraft(admin: AdminApi, documentId: string): Promise<Record<string, any>> {
  const response = await admin.get(`/content-manager/collection-types/${ARTICLE}/${documentId}?locale=en`);
  if (response.status !== 200) throw new Error(`GET article ${documentId}: ${response.status}`);
  return response.body.data;
}

export async function getJob(admin: AdminApi, id: number): Promise<JobView & { parent: JobView | null; children: JobView[] }> {
  const response = await admin.get(`/ai-assets/jobs/${id}`);
  if (response.status !== 200) throw new Error(`GET job ${id}: ${response.status}`);
  return response.body.data;
}

/** Waits until the entry has a job in one of `statuses` (a failed job stops the wait at once with its error). */
export function waitForEntryJob(admin: AdminApi, documentId: string, statuses: string[], timeoutMs = 30_000): Promise<JobView> {
  return waitFor(
    async () => {
      const response = await admin.get(`/ai-assets/jobs?documentId=${documentId}&locale=en`);
      const jobs = (response.body.results ?? []) as JobView[];
      const failed = statuses.includes('failed') ? undefined : jobs.find((job) => job.status === 'failed');
      if (failed) throw new StopWaiting(`job ${failed.id} failed: ${JSON.stringify(failed.error)}`);
      return jobs.find((job) => statuses.includes(job.status)) ?? null;
    },
    { timeoutMs, intervalMs: 200, what: `a job of ${documentId} to become ${statuses.join(' or ')}` }
  );
}

export function waitForJob(admin: AdminApi, id: number, statuses: string[], timeoutMs = 30_000): Promise<JobView> {
  return waitFor(
    async () => {
      const job = await getJob(admin, id);
      if (job.status === 'failed' && !statuses.includes('failed')) throw new StopWaiting(`job ${id} failed: ${JSON.stringify(job.error)}`);
      return statuses.includes(job.status) ? job : null;
    },
    { timeoutMs, intervalMs: 200, what: `job ${id} to become ${statuses.join(' or ')}` }
  );
}
