/** Typed access to this plugin's services. */
import type { Core } from '@strapi/strapi';
import type { BackfillService } from '../services/backfills';
import type { BatchService } from '../services/batches';
import type { CandidateService } from '../services/candidates';
import type { ConfigService } from '../services/config';
import type { ImageHistoryService } from '../services/image-history';
import type { JobService } from '../services/jobs';
import type { Pipeline } from '../services/pipeline';
import type { Planner } from '../services/planner';
import type { ProvidersService } from '../services/providers';
import type { QueueService } from '../services/queue';
import type { SettingsService } from '../services/settings';
import type { MediaLibrary } from '../media/library';
import type { Attacher } from '../media/attach';
import type { JobStore } from '../queue/job-store';
import type { JobEvents } from '../events/job-events';
import type { PublishSweep } from '../triggers/publish-sweep';

export const PLUGIN_ID = 'ai-assets';

interface Services {
  backfills: BackfillService;
  batches: BatchService;
  candidates: CandidateService;
  config: ConfigService;
  imageHistory: ImageHistoryService;
  jobStore: JobStore;
  jobs: JobService;
  jobEvents: JobEvents;
  publishSweep: PublishSweep;
  pipeline: Pipeline;
  planner: Planner;
  providers: ProvidersService;
  queue: QueueService;
  settings: SettingsService;
  library: MediaLibrary;
  attacher: Attacher;
}

export function getService<Name extends keyof Services>(strapi: Core.Strapi, name: Name): Services[Name] {
  return strapi.plugin(PLUGIN_ID).service(name) as Services[Name];
}
