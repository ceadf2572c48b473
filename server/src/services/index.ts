import { createAttacher } from '../media/attach';
import { createMediaLibrary } from '../media/library';
import { createBackfillService } from './backfills';
import { createConfigService } from './config';
import { createJobService } from './jobs';
import { createPipeline } from './pipeline';
import { createPlanner } from './planner';
import { createProvidersService } from './providers';
import { createQueueService } from './queue';
import { createSettingsService } from './settings';

export default {
  backfills: createBackfillService,
  config: createConfigService,
  jobs: createJobService,
  pipeline: createPipeline,
  planner: createPlanner,
  providers: createProvidersService,
  queue: createQueueService,
  settings: createSettingsService,
  library: createMediaLibrary,
  attacher: createAttacher,
};
