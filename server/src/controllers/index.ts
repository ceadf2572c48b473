import callbacks from './callbacks';
import jobs from './jobs';
import settings from './settings';

export default { callbacks, jobs, settings };
