import type { Core } from '@strapi/strapi';
import { RETENTION_TASK } from './queue/retention';
import { getService } from './utils/get-service';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService(strapi, 'backfills').stop();
  // Abort in-flight provider calls and put their jobs back to `queued` for the next process.
  strapi.cron.remove(RETENTION_TASK);
  await getService(strapi, 'publishSweep').stop();
  await getService(strapi, 'batches').stop();
  await getService(strapi, 'queue').stop();
};
