/**
 * A Content Manager save from a form loaded before the plugin attached a file keeps the plugin's file; a save from
 * a form loaded after it does what the editor asked (here: removes the image).
 */
import request from 'supertest';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, coverRule } from './support/configs';
import { api, createSuperAdmin, login } from './support/admin';
import { findArticle, waitForFirstJob, waitForJobStatus } from './support/jobs';

const ARTICLE = 'api::article.article';

describe('saving a form opened before an attach', () => {
  let app: TestApp;
  let admin: ReturnType<typeof api>;
  let token: string;

  const save = (documentId: string, body: Record<string, unknown>) =>
    request(app.strapi.server.httpServer)
      .put(`/content-manager/collection-types/${ARTICLE}/${documentId}?locale=en`)
      .set('Authorization', `Bearer ${token}`)
      .send(body);

  beforeAll(async () => {
    app = await bootPlayground({ config: config([coverRule]) });
    await createSuperAdmin(app.strapi);
    token = await login(app.strapi, 'super@example.test');
    admin = api(app.strapi, token);
  });
  afterAll(async () => {
    await app?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it('keeps the attached cover when the saved form predates the attach, and honours a removal from a fresh form', async () => {
    const body = { title: 'Drowned Forests', summary: 'Trees under the lake.' };
    const created = await admin.post(`/content-manager/collection-types/${ARTICLE}?locale=en`, body);
    expect(created.status).toBe(201);
    const { documentId, updatedAt: loadedBeforeAttach } = created.body.data as { documentId: string; updatedAt: string };
    const published = await admin.post(`/content-manager/collection-types/${ARTICLE}/${documentId}/actions/publish?locale=en`, body);
    expect(published.status).toBe(200);
    const job = await waitForJobStatus(app.strapi, (await waitForFirstJob(app.strapi, { targetDocumentId: documentId })).id, ['succeeded']);
    expect(job.attachedField).toBe('cover');

    // The form the editor opened before the attach: no cover, an edited summary.
    const stale = await save(documentId, { ...body, summary: 'Edited in an old tab.', cover: null, updatedAt: loadedBeforeAttach });
    expect(stale.status).toBe(200);
    const draft = await findArticle(app.strapi, documentId, 'draft');
    expect(draft?.summary).toBe('Edited in an old tab.');
    expect(draft?.cover?.id).toBe(job.resultFileId);

    // A form loaded now (after the attach) that removes the cover is the editor's choice.
    const fresh = await admin.get(`/content-manager/collection-types/${ARTICLE}/${documentId}?locale=en`);
    const removal = await save(documentId, { ...body, summary: 'No picture after all.', cover: null, updatedAt: fresh.body.data.updatedAt });
    expect(removal.status).toBe(200);
    const after = await findArticle(app.strapi, documentId, 'draft');
    expect(after?.summary).toBe('No picture after all.');
    expect(after?.cover ?? null).toBeNull();
  });
});
