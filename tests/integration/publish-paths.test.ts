/**
 * Every way an entry becomes published queues the rule's job exactly once, and the image lands on the draft
 * and the live version: Document Service publish, create / update with status 'published', the Content
 * Manager (publish, save and publish, create and publish, bulk publish), the REST API with an API token, and
 * Content Releases (several entries published in one release transaction, and a scheduled release published
 * by Strapi's cron at its date).
 */
import request from 'supertest';
import type { Core } from '@strapi/strapi';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, coverRule } from './support/configs';
import { allJobs, createArticle, findArticle, waitForJobStatus } from './support/jobs';
import { api, createSuperAdmin, login } from './support/admin';
import { waitFor } from './support/wait';
import { releaseServices } from './support/releases';

const ARTICLE = 'api::article.article';
const documents = (strapi: Core.Strapi) => strapi.documents(ARTICLE as never);

/** Exactly one job for the document, succeeded, its file on the draft and on the live version. */
async function expectOneAttachedJob(strapi: Core.Strapi, documentId: string): Promise<void> {
  const jobsOf = async () => (await allJobs(strapi)).filter((job) => job.targetDocumentId === documentId);
  const [queued] = await waitFor(async () => {
    const jobs = await jobsOf();
    return jobs.length > 0 && jobs;
  }, { what: `a job for ${documentId}` });
  expect(queued.trigger).toBe('publish');
  const done = await waitForJobStatus(strapi, queued.id, ['succeeded']);
  expect((await jobsOf()).map((job) => job.id)).toEqual([queued.id]);
  expect((await findArticle(strapi, documentId, 'draft'))?.cover?.id).toBe(done.resultFileId);
  expect((await findArticle(strapi, documentId, 'published'))?.cover?.id).toBe(done.resultFileId);
}

const adminUser = (strapi: Core.Strapi) => strapi.db.query('admin::user').findOne({ where: { email: 'super@example.test' } });

describe('every publish path queues exactly one job', () => {
  let app: TestApp;
  let admin: ReturnType<typeof api>;
  let apiToken: string;

  beforeAll(async () => {
    app = await bootPlayground({ config: config([coverRule]) });
    await createSuperAdmin(app.strapi);
    admin = api(app.strapi, await login(app.strapi, 'super@example.test'));
    const token = await app.strapi.service('admin::api-token').create({ name: 'publisher', type: 'full-access', lifespan: null, description: '' });
    apiToken = token.accessKey;
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it('Document Service publish()', async () => {
    const article = await createArticle(app.strapi, { title: 'Path One', summary: 'publish()' });
    await documents(app.strapi).publish({ documentId: article.documentId, locale: 'en' } as never);
    await expectOneAttachedJob(app.strapi, article.documentId);
  });

  it("Document Service create() with status 'published'", async () => {
    const article = (await documents(app.strapi).create({ data: { title: 'Path Two', summary: 'create published' }, locale: 'en', status: 'published' } as never)) as { documentId: string };
    await expectOneAttachedJob(app.strapi, article.documentId);
  });

  it("Document Service update() with status 'published'", async () => {
    const article = await createArticle(app.strapi, { title: 'Path Three', summary: 'update published' });
    await documents(app.strapi).update({ documentId: article.documentId, locale: 'en', data: { summary: 'updated and published' }, status: 'published' } as never);
    await expectOneAttachedJob(app.strapi, article.documentId);
  });

  it('Content Manager publish of a saved draft', async () => {
    const created = await admin.post(`/content-manager/collection-types/${ARTICLE}?locale=en`, { title: 'Path Four', summary: 'CM publish' });
    expect(created.status).toBe(201);
    const published = await admin.post(`/content-manager/collection-types/${ARTICLE}/${created.body.data.documentId}/actions/publish?locale=en`, {});
    expect(published.status).toBe(200);
    await expectOneAttachedJob(app.strapi, created.body.data.documentId);
  });

  it('Content Manager save and publish (changed fields sent with the publish)', async () => {
    const created = await admin.post(`/content-manager/collection-types/${ARTICLE}?locale=en`, { title: 'Path Five', summary: 'draft text' });
    const documentId = created.body.data.documentId;
    const published = await admin.post(`/content-manager/collection-types/${ARTICLE}/${documentId}/actions/publish?locale=en`, { title: 'Path Five', summary: 'edited, then saved and published' });
    expect(published.status).toBe(200);
    await expectOneAttachedJob(app.strapi, documentId);
    const [job] = (await allJobs(app.strapi)).filter((row) => row.targetDocumentId === documentId);
    expect(job.prompt).toContain('edited, then saved and published');
  });

  it('Content Manager create and publish of a new entry', async () => {
    const published = await admin.post(`/content-manager/collection-types/${ARTICLE}/actions/publish?locale=en`, { title: 'Path Six', summary: 'new and published at once' });
    expect(published.status).toBe(200);
    await expectOneAttachedJob(app.strapi, published.body.data.documentId);
  });

  it('Content Manager bulk publish from the list view', async () => {
    const drafts = await Promise.all(['Bulk A', 'Bulk B', 'Bulk C'].map((title) => createArticle(app.strapi, { title, summary: 'bulk' })));
    const response = await admin.post(`/content-manager/collection-types/${ARTICLE}/actions/bulkPublish?locale=en`, { documentIds: drafts.map((draft) => draft.documentId) });
    expect(response.status).toBe(200);
    for (const draft of drafts) await expectOneAttachedJob(app.strapi, draft.documentId);
  });

  it('REST API POST and PUT with an API token (default status published)', async () => {
    const server = app.strapi.server.httpServer;
    const created = await request(server).post('/api/articles').set('Authorization', `Bearer ${apiToken}`).send({ data: { title: 'Path Eight', summary: 'REST create' } });
    expect(created.status).toBe(201);
    await expectOneAttachedJob(app.strapi, created.body.data.documentId);

    const draft = await createArticle(app.strapi, { title: 'Path Nine', summary: 'REST update' });
    const updated = await request(server).put(`/api/articles/${draft.documentId}`).set('Authorization', `Bearer ${apiToken}`).send({ data: { summary: 'REST update, published' } });
    expect(updated.status).toBe(200);
    await expectOneAttachedJob(app.strapi, draft.documentId);
  });

  it('Content Releases: a release publishing several entries', async () => {
    // The release service's own publish(), as the admin's "Publish" button calls it (its route is licence-locked:
    // see support/releases.ts); it publishes every entry inside one release transaction.
    const { strapi } = app;
    const { release: releases, 'release-action': actions } = releaseServices(strapi);
    const drafts = await Promise.all(['Release A', 'Release B', 'Release C'].map((title) => createArticle(strapi, { title, summary: 'released' })));
    const release = await releases.create({ name: 'Spring issue' }, { user: await adminUser(strapi) });
    for (const draft of drafts) await actions.create(release.id, { type: 'publish', contentType: ARTICLE, entryDocumentId: draft.documentId, locale: 'en' });
    await releases.publish(release.id);
    for (const draft of drafts) await expectOneAttachedJob(strapi, draft.documentId);
  });

  it("Content Releases: a scheduled release, published by Strapi's cron at its date", async () => {
    // The real scheduling path: the release service's update() with a scheduledAt hands the release to the
    // plugin's scheduling service, which adds a one-shot task to Strapi's cron; at the date the cron task runs the
    // release service's publish() as the "scheduler" system actor. Only the service registration stands in for the
    // licence (support/releases.ts); with a licence the plugin's bootstrap also re-arms such tasks after a restart.
    const { strapi } = app;
    const { release: releases, 'release-action': actions, scheduling } = releaseServices(strapi);
    const user = await adminUser(strapi);
    const drafts = await Promise.all(['Scheduled A', 'Scheduled B'].map((title) => createArticle(strapi, { title, summary: 'scheduled' })));
    const release = await releases.create({ name: 'Night issue' }, { user });
    for (const draft of drafts) await actions.create(release.id, { type: 'publish', contentType: ARTICLE, entryDocumentId: draft.documentId, locale: 'en' });
    const scheduledAt = new Date(Date.now() + 3_000);
    await releases.update(release.id, { name: 'Night issue', scheduledAt, timezone: 'Europe/Paris' }, { user });
    expect(scheduling.getAll().get(String(release.id))).toBe(`publishRelease_${release.id}`);
    expect(await findArticle(strapi, drafts[0].documentId, 'published')).toBeNull();

    const released = await waitFor(async () => {
      const row = await strapi.db.query('plugin::content-releases.release').findOne({ where: { id: release.id } });
      return row?.releasedAt ? row : null;
    }, { what: 'the scheduled release to be published by the cron task', timeoutMs: 30_000 });
    expect(released.status).toBe('done');
    // The cron fires on whole seconds: never earlier than the second the release was scheduled for.
    expect(new Date(released.releasedAt).getTime()).toBeGreaterThanOrEqual(Math.floor(scheduledAt.getTime() / 1000) * 1000);
    for (const draft of drafts) await expectOneAttachedJob(strapi, draft.documentId);
  });
});
