/**
 * The content API under /api/ai-assets with users-permissions roles: Strapi's own route permissions decide.
 * Roles are created and granted through the users-permissions admin API (what Settings > Users & Permissions
 * plugin > Roles sends), users log in with POST /api/auth/local and call the plugin with their JWT.
 * A role holding the plugin's actions runs a rule, reads the job and estimates a backfill; a role without them
 * gets 403; no JWT gets 403 from the Public role. A grant added later through the role service takes effect.
 */
import request from 'supertest';
import type { Core } from '@strapi/strapi';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, coverRule } from './support/configs';
import { createArticle, findArticle, waitForJobStatus } from './support/jobs';
import { api, createSuperAdmin, login, PASSWORD } from './support/admin';

const manualRule = { ...coverRule, id: 'article-cover-manual', on: [] };
const RUN = '/api/ai-assets/rules/article-cover-manual/run';

/** The users-permissions shape of a role's grants: { 'plugin::ai-assets': { controllers: { 'api-rules': { run: { enabled } } } } }. */
function grants(actions: string[]) {
  const permissions: Record<string, { controllers: Record<string, Record<string, { enabled: boolean }>> }> = {};
  for (const action of actions) {
    const [type, controller, name] = action.split(/\.(?=[^.]+\.[^.]+$)|\.(?=[^.]+$)/);
    permissions[type] ??= { controllers: {} };
    permissions[type].controllers[controller] ??= {};
    permissions[type].controllers[controller][name] = { enabled: true };
  }
  return permissions;
}

describe('content API with users-permissions roles', () => {
  let app: TestApp;
  let admin: ReturnType<typeof api>;
  const jwts: Record<string, string> = {};
  const roleIds: Record<string, number> = {};
  const call = (method: 'get' | 'post', path: string, user?: string, body: object = {}) => {
    const req = request(app.strapi.server.httpServer)[method](path);
    if (user) req.set('Authorization', `Bearer ${jwts[user]}`);
    return method === 'post' ? req.send(body) : req;
  };

  async function roleWithUser(name: string, actions: string[]): Promise<void> {
    const created = await request(app.strapi.server.httpServer)
      .post('/users-permissions/roles')
      .set('Authorization', `Bearer ${await login(app.strapi, 'super@example.test')}`)
      .send({ name, description: `${name} role`, permissions: grants(actions), users: [] });
    expect(created.status).toBe(200);
    const roles = (await admin.get('/users-permissions/roles')).body.roles as Array<{ id: number; name: string }>;
    const role = roles.find((candidate) => candidate.name === name)!;
    roleIds[name] = role.id;
    const email = `${name.toLowerCase()}@example.test`;
    await (app.strapi.plugin('users-permissions').service('user') as { add(data: object): Promise<unknown> }).add({
      username: name.toLowerCase(), email, password: PASSWORD, role: role.id, confirmed: true, blocked: false, provider: 'local',
    });
    const loggedIn = await request(app.strapi.server.httpServer).post('/api/auth/local').send({ identifier: email, password: PASSWORD });
    expect(loggedIn.status).toBe(200);
    jwts[name] = loggedIn.body.jwt;
  }

  beforeAll(async () => {
    app = await bootPlayground({ config: config([manualRule]), env: { PLAYGROUND_USERS_PERMISSIONS: 'true' } });
    await createSuperAdmin(app.strapi);
    admin = api(app.strapi, await login(app.strapi, 'super@example.test'));
    await roleWithUser('Pipeline', [
      'plugin::ai-assets.api-rules.run',
      'plugin::ai-assets.api-jobs.findOne',
      'plugin::ai-assets.backfills.create',
      'plugin::ai-assets.backfills.findOne',
    ]);
    await roleWithUser('Reader', ['api::article.article.find']);
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it("lists the plugin's content API actions among the permissions a role can be granted", async () => {
    const response = await admin.get('/users-permissions/permissions');
    expect(response.status).toBe(200);
    const controllers = response.body.permissions['plugin::ai-assets'].controllers;
    expect(Object.keys(controllers['api-rules'])).toContain('run');
    expect(Object.keys(controllers['api-jobs'])).toContain('findOne');
    expect(Object.keys(controllers.backfills)).toEqual(expect.arrayContaining(['create', 'findOne', 'start', 'pause', 'resume', 'cancel']));
  });

  it("runs a rule, reads the job and estimates a backfill with the JWT of a role granted the plugin's actions", async () => {
    const article = await createArticle(app.strapi, { title: 'Basalt Columns', summary: 'Hexagons by the sea.' });
    const run = await call('post', RUN, 'Pipeline', { documentId: article.documentId, locale: 'en' });
    expect(run.status).toBe(202);
    expect(run.body.data).toEqual({ jobId: expect.any(Number), status: 'queued', deduplicated: false });

    await waitForJobStatus(app.strapi, run.body.data.jobId, ['succeeded']);
    const job = await call('get', `/api/ai-assets/jobs/${run.body.data.jobId}`, 'Pipeline');
    expect(job.status).toBe(200);
    expect(job.body.data).toMatchObject({ id: run.body.data.jobId, status: 'succeeded', documentId: article.documentId, result: { url: expect.stringMatching(/^\/uploads\//) } });
    expect((await findArticle(app.strapi, article.documentId, 'draft'))?.cover?.url).toBe(job.body.data.result.url);

    const estimate = await call('post', '/api/ai-assets/backfills', 'Pipeline', { ruleId: 'article-cover-manual', dryRun: true });
    expect(estimate.status).toBe(200);
    const backfill = await call('get', `/api/ai-assets/backfills/${estimate.body.data.id}`, 'Pipeline');
    expect(backfill.status).toBe(200);
    expect(backfill.body.data).toMatchObject({ id: estimate.body.data.id, rule: 'article-cover-manual', status: 'ready', createdVia: 'api', createdByName: 'user "pipeline"' });
    // Granted create and findOne only: starting it is refused.
    expect((await call('post', `/api/ai-assets/backfills/${estimate.body.data.id}/start`, 'Pipeline')).status).toBe(403);
  });

  it('answers 403 to a role without the permissions and to a request without a JWT, queuing nothing', async () => {
    const article = await createArticle(app.strapi, { title: 'Sea Stack', summary: 'A lone pillar.' });
    const body = { documentId: article.documentId, locale: 'en' };
    expect((await call('post', RUN, 'Reader', body)).status).toBe(403);
    expect((await call('get', '/api/ai-assets/jobs/1', 'Reader')).status).toBe(403);
    expect((await call('post', '/api/ai-assets/backfills', 'Reader', { ruleId: 'article-cover-manual', dryRun: true })).status).toBe(403);
    // No JWT: the Public role answers, and it holds none of the plugin's actions.
    expect((await call('post', RUN, undefined, body)).status).toBe(403);
    expect((await call('get', '/api/ai-assets/jobs/1')).status).toBe(403);
    // The reader's own grant works: the 403s above are the plugin's routes refusing, not a broken login.
    expect((await call('get', '/api/articles', 'Reader')).status).toBe(200);
    expect(await app.strapi.db.query('plugin::ai-assets.job').count({ where: { targetDocumentId: article.documentId } })).toBe(0);
  });

  it("lets a role run rules once granted through the role service (the README's snippet), keeping its other grants", async () => {
    type Grants = Record<string, { controllers: Record<string, Record<string, { enabled: boolean }>> }>;
    const roles = app.strapi.plugin('users-permissions').service('role') as {
      findOne(id: number): Promise<{ permissions: Grants }>;
      updateRole(id: number, data: { permissions: Grants }): Promise<void>;
    };
    const { permissions } = await roles.findOne(roleIds.Reader);
    permissions['plugin::ai-assets'].controllers['api-rules'].run.enabled = true;
    permissions['plugin::ai-assets'].controllers['api-jobs'].findOne.enabled = true;
    await roles.updateRole(roleIds.Reader, { permissions });

    const article = await createArticle(app.strapi, { title: 'Tide Pool', summary: 'Anemones at low tide.' });
    const run = await call('post', RUN, 'Reader', { documentId: article.documentId, locale: 'en' });
    expect(run.status).toBe(202);
    expect((await call('get', `/api/ai-assets/jobs/${run.body.data.jobId}`, 'Reader')).status).toBe(200);
    expect((await call('get', '/api/articles', 'Reader')).status).toBe(200);
    expect((await call('post', '/api/ai-assets/backfills', 'Reader', { ruleId: 'article-cover-manual', dryRun: true })).status).toBe(403);
  });
});
