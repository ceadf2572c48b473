/** Public routes (served under /api/ai-assets): provider webhooks, authenticated by their signatures. */
export default {
  type: 'content-api',
  routes: [{ method: 'POST', path: '/providers/:name/callback', handler: 'callbacks.receive', config: { auth: false, policies: [] } }],
};
