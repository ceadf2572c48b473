import backfills from './backfills';
import callbacks from './callbacks';
import jobs from './jobs';
import settings from './settings';

export default { backfills, callbacks, jobs, settings };
