import apiJobs from './api-jobs';
import apiRules from './api-rules';
import backfills from './backfills';
import callbacks from './callbacks';
import jobs from './jobs';
import settings from './settings';
import triggerOutcomes from './trigger-outcomes';

export default { 'api-jobs': apiJobs, 'api-rules': apiRules, backfills, callbacks, jobs, settings, 'trigger-outcomes': triggerOutcomes };
