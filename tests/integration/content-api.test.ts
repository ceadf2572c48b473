/**
 * The content API under /api/ai-assets: Strapi's own route permissions decide. An API token with the
 * permission runs a rule and reads the job; one without gets 403; no token gets 401/403.
 */
import request from 'supertest';
import type { Core } from '@strapi/strapi';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, coverRule } from './support/configs';
import { createArticle, findArticle, waitForJobStatus } from './support/jobs';

const manualRule = { ...coverRule, id: 'article-cover-manual', on: [] };

async function token(strapi: Core.Strapi, name: string, type: 'full-access' | 'read-only' | 'custom', permissions: string[] = []): Promise<string> {
  const created = await strapi.service('admin::api-token').create({ name, type, lifespan: null, description: '', ...(type === 'custom' ? { permissions } : {}) });
  return created.accessKey;
}

describe('content API', () => {
  let app: TestApp;
  const tokens: Record<string, string> = {};
  const call = (method: 'get' | 'post', path: string, tokenName?: string, body: object = {}) => {
    const req = request(app.strapi.server.httpServer)[method](path);
    if (tokenName) req.set('Authorization', `Bearer ${tokens[tokenName]}`);
    return method === 'post' ? req.send(body) : req;
  };

  beforeAll(async () => {
    app = await bootPlayground({ config: config([manualRule]) });
    tokens.runner = await token(app.strapi, 'runner', 'custom', ['plugin::ai-assets.api-rules.run', 'plugin::ai-assets.api-jobs.findOne']);
    tokens.readerOnly = await token(app.strapi, 'reader', 'read-only');
    tokens.unrelated = await token(app.strapi, 'unrelated', 'custom', ['api::article.article.find']);
    tokens.full = await token(app.strapi, 'full', 'full-access');
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it('runs a rule and reads the job with a token holding the permissions', async () => {
    const article = await createArticle(app.strapi, { title: 'Glacier Tongue', summary: 'Ice meeting the sea.' });
    const dryRun = await call('post', '/api/ai-assets/rules/article-cover-manual/run', 'runner', { documentId: article.documentId, locale: 'en', dryRun: true });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.data).toMatchObject({ dryRun: true, prompt: 'Editorial illustration for "Glacier Tongue". Ice meeting the sea.' });

    const run = await call('post', '/api/ai-assets/rules/article-cover-manual/run', 'runner', { documentId: article.documentId, locale: 'en' });
    expect(run.status).toBe(202);
    expect(run.body.data).toEqual({ jobId: expect.any(Number), status: 'queued', deduplicated: false });
    const again = await call('post', '/api/ai-assets/rules/article-cover-manual/run', 'runner', { documentId: article.documentId, locale: 'en' });
    expect(again.body.data).toMatchObject({ jobId: run.body.data.jobId, deduplicated: true });

    await waitForJobStatus(app.strapi, run.body.data.jobId, ['succeeded']);
    const job = await call('get', `/api/ai-assets/jobs/${run.body.data.jobId}`, 'runner');
    expect(job.status).toBe(200);
    expect(job.body.data).toMatchObject({ id: run.body.data.jobId, status: 'succeeded', error: null, documentId: article.documentId, result: { url: expect.stringMatching(/^\/uploads\//) } });
    expect((await findArticle(app.strapi, article.documentId, 'draft'))?.cover?.url).toBe(job.body.data.result.url);
    // A read-only token may read jobs (findOne) but not run rules.
    expect((await call('get', `/api/ai-assets/jobs/${run.body.data.jobId}`, 'readerOnly')).status).toBe(200);
  });

  it('answers 403 to a token without the permission and 401/403 without a token', async () => {
    const article = await createArticle(app.strapi, { title: 'Fjord', summary: 'Steep walls.' });
    const body = { documentId: article.documentId, locale: 'en' };
    expect((await call('post', '/api/ai-assets/rules/article-cover-manual/run', 'unrelated', body)).status).toBe(403);
    expect((await call('post', '/api/ai-assets/rules/article-cover-manual/run', 'readerOnly', body)).status).toBe(403);
    expect((await call('get', '/api/ai-assets/jobs/1', 'unrelated')).status).toBe(403);
    expect([401, 403]).toContain((await call('post', '/api/ai-assets/rules/article-cover-manual/run', undefined, body)).status);
    expect([401, 403]).toContain((await call('get', '/api/ai-assets/jobs/1')).status);
    const jobsForArticle = await app.strapi.db.query('plugin::ai-assets.job').count({ where: { targetDocumentId: article.documentId } });
    expect(jobsForArticle).toBe(0);
  });

  it('answers 4xx with a reason for bad input, unknown rules and unknown jobs', async () => {
    const missingDocument = await call('post', '/api/ai-assets/rules/article-cover-manual/run', 'full', {});
    expect(missingDocument.status).toBe(400);
    expect(missingDocument.body.error.message).toMatch(/documentId/);
    const unknownRule = await call('post', '/api/ai-assets/rules/nope/run', 'full', { documentId: 'x' });
    expect(unknownRule.status).toBe(404);
    expect(unknownRule.body.error.message).toMatch(/Rule "nope" is not configured/);
    const unknownJob = await call('get', '/api/ai-assets/jobs/999999', 'full');
    expect(unknownJob.status).toBe(404);
  });
});
