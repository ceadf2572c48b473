import apiJobs from './api-jobs';
import apiRules from './api-rules';
import backfills from './backfills';
import callbacks from './callbacks';
import jobs from './jobs';
import settings from './settings';

export default { 'api-jobs': apiJobs, 'api-rules': apiRules, backfills, callbacks, jobs, settings };
