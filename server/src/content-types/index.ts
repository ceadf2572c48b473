import jobSchema from './job/schema.json';
import backfillSchema from './backfill/schema.json';
import limitStateSchema from './limit-state/schema.json';
import batchSchema from './batch/schema.json';

export const JOB_UID = 'plugin::ai-assets.job' as const;
export const LIMIT_STATE_UID = 'plugin::ai-assets.limit-state' as const;
export const BACKFILL_UID = 'plugin::ai-assets.backfill' as const;
export const BATCH_UID = 'plugin::ai-assets.batch' as const;

export default {
  job: { schema: jobSchema },
  'limit-state': { schema: limitStateSchema },
  backfill: { schema: backfillSchema },
  batch: { schema: batchSchema },
};
