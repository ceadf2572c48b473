import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // Abort in-flight provider calls and put their jobs back to `queued` for the next process.
  await getService(strapi, 'queue').publishSweep.stop();
  await getService(strapi, 'queue').stop();
};
