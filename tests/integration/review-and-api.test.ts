/**
 * Review mode and the admin API over real HTTP: publishing from the Content Manager (inside its transaction),
 * approve / reject, 4xx answers with reasons, and RBAC on the review action.
 */
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, coverRule } from './support/configs';
import { api, createSuperAdmin, createUserWithActions, login } from './support/admin';
import { findArticle, waitForFirstJob, waitForJobStatus } from './support/jobs';

const reviewRule = { ...coverRule, id: 'article-cover-review', review: true };
const ARTICLE = 'api::article.article';

describe('review workflow and admin API', () => {
  let app: TestApp;
  let admin: ReturnType<typeof api>;

  /** Creates and publishes an article through the Content Manager's HTTP routes, like an editor. */
  async function publishFromAdmin(title: string): Promise<string> {
    const created = await admin.post(`/content-manager/collection-types/${ARTICLE}?locale=en`, { title, summary: `About ${title}.` });
    expect(created.status).toBe(201);
    const documentId = created.body.data.documentId as string;
    const published = await admin.post(`/content-manager/collection-types/${ARTICLE}/${documentId}/actions/publish?locale=en`, { title, summary: `About ${title}.` });
    expect(published.status).toBe(200);
    return documentId;
  }

  beforeAll(async () => {
    app = await bootPlayground({ config: config([reviewRule]) });
    await createSuperAdmin(app.strapi);
    admin = api(app.strapi, await login(app.strapi, 'super@example.test'));
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it('holds a review job in awaiting_review with nothing attached, then approve attaches it to draft and live versions', async () => {
    const documentId = await publishFromAdmin('Glacier Caves');
    const queued = await waitForFirstJob(app.strapi, { targetDocumentId: documentId });
    const held = await waitForJobStatus(app.strapi, queued.id, ['awaiting_review']);
    expect(held.resultFileId).toEqual(expect.any(Number));
    expect((await findArticle(app.strapi, documentId, 'draft'))?.cover).toBeNull();

    const listed = await admin.get('/ai-assets/jobs?status=awaiting_review');
    expect(listed.status).toBe(200);
    expect(listed.body.results.map((job: { id: number }) => job.id)).toContain(held.id);
    expect(listed.body.results[0].result.thumbnailUrl).toMatch(/^\/uploads\//);

    const approved = await admin.post(`/ai-assets/jobs/${held.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.data).toMatchObject({ status: 'approved', attachedField: 'cover' });
    expect((await findArticle(app.strapi, documentId, 'draft'))?.cover?.id).toBe(held.resultFileId);
    expect((await findArticle(app.strapi, documentId, 'published'))?.cover?.id).toBe(held.resultFileId);

    const again = await admin.post(`/ai-assets/jobs/${held.id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/it is approved/);
  });

  it('reject attaches nothing', async () => {
    const documentId = await publishFromAdmin('Salt Flats');
    const queued = await waitForFirstJob(app.strapi, { targetDocumentId: documentId });
    const held = await waitForJobStatus(app.strapi, queued.id, ['awaiting_review']);
    const rejected = await admin.post(`/ai-assets/jobs/${held.id}/reject`, { reason: 'Off brand' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.data.status).toBe('rejected');
    expect((await findArticle(app.strapi, documentId, 'draft'))?.cover).toBeNull();
    expect((await findArticle(app.strapi, documentId, 'published'))?.cover).toBeNull();
  });

  it('approves into another media field of the entry when asked', async () => {
    const documentId = await publishFromAdmin('Kelp Forest');
    const queued = await waitForFirstJob(app.strapi, { targetDocumentId: documentId });
    const held = await waitForJobStatus(app.strapi, queued.id, ['awaiting_review']);
    const approved = await admin.post(`/ai-assets/jobs/${held.id}/approve`, { field: 'photo' });
    expect(approved.status).toBe(200);
    const draft = await findArticle(app.strapi, documentId, 'draft');
    expect(draft?.photo?.id).toBe(held.resultFileId);
    expect(draft?.cover).toBeNull();
  });

  it('dry-runs a rule: renders the prompt and queues nothing', async () => {
    const documentId = await publishFromAdmin('Quiet Harbour');
    await waitForFirstJob(app.strapi, { targetDocumentId: documentId });
    const before = await app.strapi.db.query('plugin::ai-assets.job').count({});
    const dryRun = await admin.post('/ai-assets/rules/article-cover-review/run', { documentId, locale: 'en', dryRun: true });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.data).toMatchObject({ dryRun: true, prompt: 'Editorial illustration for "Quiet Harbour". About Quiet Harbour.', altText: 'Quiet Harbour' });
    expect(await app.strapi.db.query('plugin::ai-assets.job').count({})).toBe(before);
  });

  it.each([
    ['an unknown status filter', () => admin.get('/ai-assets/jobs?status=done'), 400, /query\.status/],
    ['a page size over 100', () => admin.get('/ai-assets/jobs?pageSize=500'), 400, /query\.pageSize/],
    ['a non-numeric job id', () => admin.get('/ai-assets/jobs/abc'), 400, /id/],
    ['an unknown job', () => admin.get('/ai-assets/jobs/999999'), 404, /Job 999999 does not exist/],
    ['an unknown rule', () => admin.post('/ai-assets/rules/nope/run', { documentId: 'x' }), 404, /Rule "nope" is not configured/],
    ['a run without documentId', () => admin.post('/ai-assets/rules/article-cover-review/run', {}), 400, /body\.documentId/],
    ['an unknown body key', () => admin.post('/ai-assets/jobs/1/reject', { because: 'x' }), 400, /body/],
    ['a mask that is not a PNG data URL', () => admin.post('/ai-assets/jobs/1/edit', { prompt: 'x', mask: 'data:image/jpeg;base64,AAAA' }), 400, /body\.mask/],
    ['approving into a non-media field', () => admin.post('/ai-assets/jobs/1/approve', { field: 'title' }), 400, /"title" is not a media field/],
    ['a regenerate with params the provider rejects', () => admin.post('/ai-assets/jobs/1/regenerate', { params: { size: 'huge' } }), 400, /params\.size/],
  ])('answers %s with the expected 4xx and a reason', async (_case, call, status, message) => {
    const response = await call();
    expect(response.status).toBe(status);
    expect(response.body.error.message).toMatch(message);
  });

  it('gives 403 on approve to a user without the review action, and lets them read', async () => {
    await createUserWithActions(app.strapi, 'reader@example.test', ['plugin::ai-assets.read']);
    const reader = api(app.strapi, await login(app.strapi, 'reader@example.test'));
    const documentId = await publishFromAdmin('Fog Bank');
    const queued = await waitForFirstJob(app.strapi, { targetDocumentId: documentId });
    const held = await waitForJobStatus(app.strapi, queued.id, ['awaiting_review']);

    expect((await reader.get(`/ai-assets/jobs/${held.id}`)).status).toBe(200);
    const denied = await reader.post(`/ai-assets/jobs/${held.id}/approve`);
    expect(denied.status).toBe(403);
    expect((await reader.get('/ai-assets/settings')).status).toBe(403);
    expect((await findArticle(app.strapi, documentId, 'draft'))?.cover).toBeNull();
  });

  it('rejects unauthenticated calls', async () => {
    const { default: request } = await import('supertest');
    expect((await request(app.strapi.server.httpServer).get('/ai-assets/jobs')).status).toBe(401);
  });
});
