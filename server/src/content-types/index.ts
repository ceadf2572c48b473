import jobSchema from './job/schema.json';

export const JOB_UID = 'plugin::ai-assets.job' as const;

export default {
  job: { schema: jobSchema },
};
