/** Reading backfills through the admin API and their jobs from the table, shared by the backfill suites. */
import type { Core } from '@strapi/strapi';
import type { Test } from 'supertest';
import { allJobs } from './jobs';
import { waitFor } from './wait';

export type BackfillView = Record<string, any> & { id: number; status: string };

type Admin = () => { get: (path: string) => Test };

/** `backfill(id)` answers the admin view; `waitForBackfill` polls it until `check` holds. */
export function backfillReader(admin: Admin) {
  const backfill = async (id: number): Promise<BackfillView> => (await admin().get(`/ai-assets/backfills/${id}`).expect(200)).body.data;
  const waitForBackfill = (id: number, check: (view: BackfillView) => boolean, what: string, timeoutMs = 60_000) =>
    waitFor(async () => {
      const view = await backfill(id);
      return check(view) ? view : null;
    }, { timeoutMs, what });
  return { backfill, waitForBackfill };
}

export const jobsOfBackfill = async (strapi: Core.Strapi, backfillId: number) => (await allJobs(strapi)).filter((job) => job.backfillId === backfillId);
