import jobSchema from './job/schema.json';
import backfillSchema from './backfill/schema.json';

export const JOB_UID = 'plugin::ai-assets.job' as const;
export const BACKFILL_UID = 'plugin::ai-assets.backfill' as const;

export default {
  job: { schema: jobSchema },
  backfill: { schema: backfillSchema },
};
