/**
 * Content API routes (served under /api/ai-assets). Routes without `auth: false` go through Strapi's content
 * API auth: an API token (full access, or custom with the route's permission) or a users-permissions role
 * granted `plugin::ai-assets.<controller>.<action>`. Without a token: 401 / 403; without the permission: 403.
 */
type Route = { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; handler: string; config?: Record<string, unknown> };

/** Provider webhooks, authenticated by their own signatures. */
const publicRoutes: Route[] = [{ method: 'POST', path: '/providers/:name/callback', handler: 'callbacks.receive', config: { auth: false, policies: [] } }];

/** For external pipelines (CI, moderation, DAM sync), permission-checked by Strapi. */
const permissionedRoutes: Route[] = [
  { method: 'POST', path: '/rules/:ruleId/run', handler: 'api-rules.run' },
  { method: 'GET', path: '/jobs/:id', handler: 'api-jobs.findOne' },
];

export default {
  type: 'content-api',
  routes: [...publicRoutes, ...permissionedRoutes],
};
