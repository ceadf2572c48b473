/**
 * Backfill routes, mounted twice: under /ai-assets for admins holding `plugin::ai-assets.backfill`, and under
 * /api/ai-assets for API tokens (a custom token needs the matching backfills.* permission).
 */
const paths = [
  { method: 'POST', path: '/backfills', handler: 'backfills.create' },
  { method: 'GET', path: '/backfills', handler: 'backfills.list' },
  { method: 'GET', path: '/backfills/:id', handler: 'backfills.findOne' },
  { method: 'POST', path: '/backfills/:id/start', handler: 'backfills.start' },
  { method: 'POST', path: '/backfills/:id/pause', handler: 'backfills.pause' },
  { method: 'POST', path: '/backfills/:id/resume', handler: 'backfills.resume' },
  { method: 'POST', path: '/backfills/:id/cancel', handler: 'backfills.cancel' },
];

export const adminBackfillRoutes: Array<Record<string, unknown>> = paths.map((route) => ({
  ...route,
  config: { policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: ['plugin::ai-assets.backfill'] } }] },
}));

adminBackfillRoutes.push({
  method: 'GET',
  path: '/budgets',
  handler: 'backfills.budgets',
  config: { policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: ['plugin::ai-assets.settings'] } }] },
});

export const contentApiBackfillRoutes = paths.map((route) => ({ ...route, config: { policies: [] as string[] } }));
