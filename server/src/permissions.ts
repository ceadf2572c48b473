/** RBAC actions the plugin registers; routes and the admin check the same uids. */
export const ACTIONS = [
  { uid: 'read', displayName: 'Read jobs' },
  { uid: 'generate', displayName: 'Generate, regenerate, edit, retry and cancel' },
  { uid: 'review', displayName: 'Approve and reject' },
  { uid: 'settings', displayName: 'Read settings and test providers' },
  { uid: 'backfill', displayName: 'Estimate, start, pause, resume and cancel backfills' },
] as const;
