/** Admin routes (served under /ai-assets). Every route needs an admin session and the named RBAC action. */
const can = (action: 'read' | 'generate' | 'review' | 'settings') => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [`plugin::ai-assets.${action}`] } }],
});

export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/jobs', handler: 'jobs.list', config: can('read') },
    { method: 'POST', path: '/jobs/bulk', handler: 'jobs.bulk', config: can('review') },
    { method: 'GET', path: '/jobs/:id', handler: 'jobs.findOne', config: can('read') },
    { method: 'GET', path: '/jobs/:id/preview', handler: 'jobs.preview', config: can('read') },
    { method: 'POST', path: '/jobs/:id/approve', handler: 'jobs.approve', config: can('review') },
    { method: 'POST', path: '/jobs/:id/reject', handler: 'jobs.reject', config: can('review') },
    { method: 'DELETE', path: '/jobs/:id/candidates/:index', handler: 'jobs.removeCandidate', config: can('review') },
    { method: 'POST', path: '/jobs/:id/revert', handler: 'jobs.revert', config: can('review') },
    { method: 'GET', path: '/history', handler: 'jobs.history', config: can('read') },
    { method: 'POST', path: '/jobs/:id/cancel', handler: 'jobs.cancel', config: can('generate') },
    { method: 'POST', path: '/jobs/:id/retry', handler: 'jobs.retry', config: can('generate') },
    { method: 'POST', path: '/jobs/:id/regenerate', handler: 'jobs.regenerate', config: can('generate') },
    { method: 'POST', path: '/jobs/:id/edit', handler: 'jobs.edit', config: can('generate') },
    { method: 'GET', path: '/trigger-outcomes', handler: 'trigger-outcomes.forDocument', config: can('read') },
    { method: 'GET', path: '/rules', handler: 'settings.rules', config: can('read') },
    { method: 'POST', path: '/rules/:ruleId/run', handler: 'settings.runRule', config: can('generate') },
    { method: 'GET', path: '/content-types', handler: 'settings.contentTypes', config: can('read') },
    { method: 'GET', path: '/stats', handler: 'settings.stats', config: can('read') },
    { method: 'GET', path: '/settings', handler: 'settings.overview', config: can('settings') },
    { method: 'POST', path: '/providers/:name/test', handler: 'settings.testProvider', config: can('settings') },
  ],
};
