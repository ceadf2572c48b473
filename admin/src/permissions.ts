import { pluginId } from './pluginId';

// Kept as module constants: useRBAC re-checks whenever it receives a new array.
const action = (name: string) => ({ action: `plugin::${pluginId}.${name}`, subject: null });

export const PERMISSIONS = {
  read: [action('read')],
  settings: [action('settings')],
  /** useRBAC names these canReview / canGenerate / canBackfill (last segment of the action). */
  actions: [action('review'), action('generate'), action('backfill')],
  backfill: [action('backfill')],
};
