/**
 * The plugin's services. This file is the composition root: the one job store of a Strapi instance is
 * created here and handed to the queue (worker), the pipeline and the jobs service, which never fetch it back.
 */
import type { Core } from '@strapi/strapi';
import { createAttacher } from '../media/attach';
import { createMediaLibrary } from '../media/library';
import { createBackfillService } from './backfills';
import { createBatchService } from './batches';
import { createCandidateService } from './candidates';
import { createImageHistoryService } from './image-history';
import { createJobStore, type JobStore } from '../queue/job-store';
import { createJobEvents } from '../events/job-events';
import { createPublishSweep } from '../triggers/publish-sweep';
import { createConfigService } from './config';
import { createJobService } from './jobs';
import { createPipeline } from './pipeline';
import { createPlanner } from './planner';
import { createProvidersService } from './providers';
import { createQueueService } from './queue';
import { createSettingsService } from './settings';

const stores = new WeakMap<Core.Strapi, JobStore>();
function storeOf(strapi: Core.Strapi): JobStore {
  let store = stores.get(strapi);
  if (!store) stores.set(strapi, (store = createJobStore({ strapi })));
  return store;
}

type Factory<T> = ({ strapi }: { strapi: Core.Strapi }) => T;
const withStore = <T>(create: (deps: { strapi: Core.Strapi; store: JobStore }) => T): Factory<T> => ({ strapi }) => create({ strapi, store: storeOf(strapi) });

export default {
  backfills: withStore(createBackfillService),
  batches: withStore(createBatchService),
  candidates: withStore(createCandidateService),
  config: createConfigService,
  imageHistory: withStore(createImageHistoryService),
  jobStore: ({ strapi }: { strapi: Core.Strapi }) => storeOf(strapi),
  jobs: withStore(createJobService),
  jobEvents: withStore(createJobEvents),
  publishSweep: withStore(createPublishSweep),
  pipeline: withStore(createPipeline),
  planner: createPlanner,
  providers: createProvidersService,
  queue: withStore(createQueueService),
  settings: createSettingsService,
  library: createMediaLibrary,
  attacher: createAttacher,
};
