/**
 * The site hears about every attached image through Strapi's own webhooks: one `entry.publish` carrying the
 * new media after an auto attach and after an approve (`entry.update` on a type without Draft & Publish),
 * and the plugin's own events (succeeded / awaiting_review / failed / approved) with their payloads, never a key.
 */
import { FakeOpenAI } from '../fakes/fake-openai';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, coverRule } from './support/configs';
import { allJobs, createArticle, waitForJobStatus } from './support/jobs';
import { api, createSuperAdmin, login } from './support/admin';
import { startWebhookReceiver } from './support/webhook-receiver';
import { waitFor } from './support/wait';

const WRONG_KEY = 'sk-proj-not-the-right-KEY-0c4d2e';
const reviewRule = { ...coverRule, id: 'article-photo', target: 'photo', review: true, folder: 'AI Assets/Photos' };
const deniedRule = { ...coverRule, id: 'article-gallery-denied', target: 'gallery', provider: 'denied', params: { size: '1024x1024', quality: 'low' }, onlyIfEmpty: false };
const snippetRule = { id: 'snippet-image', contentType: 'api::snippet.snippet', on: ['create'], prompt: 'Picture of {{title}}', params: { size: '256x256' }, target: 'image' };
const PLUGIN_EVENTS = ['ai-assets.job.succeeded', 'ai-assets.job.awaiting_review', 'ai-assets.job.failed', 'ai-assets.job.approved'];

describe('webhooks after attaches', () => {
  let app: TestApp;
  let fake: FakeOpenAI;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let admin: ReturnType<typeof api>;

  beforeAll(async () => {
    fake = await new FakeOpenAI({ apiKey: 'sk-proj-the-right-one' }).start();
    receiver = await startWebhookReceiver();
    app = await bootPlayground({
      config: config([coverRule, reviewRule, deniedRule, snippetRule], {
        providers: { studio: { type: 'local' }, denied: { type: 'openai', apiKey: WRONG_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 5000 } },
      }),
    });
    await createSuperAdmin(app.strapi);
    admin = api(app.strapi, await login(app.strapi, 'super@example.test'));
    const created = await admin.post('/admin/webhooks', { name: 'site', url: receiver.url, headers: {}, events: ['entry.publish', 'entry.update', ...PLUGIN_EVENTS] });
    expect(created.status).toBe(201);
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.stop();
    await fake?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it("lists the plugin's events in Strapi's webhook settings", () => {
    const allowed = app.strapi.get('webhookStore').listAllowedEvents().map((key: string) => app.strapi.get('webhookStore').getAllowedEvent(key));
    expect(allowed).toEqual(expect.arrayContaining(PLUGIN_EVENTS));
  });

  it('sends one entry.publish with the new media after an auto attach and one after an approve, plus the job events', async () => {
    const { strapi } = app;
    const article = await createArticle(strapi, { title: 'Harbour Lights', summary: 'Evening on the quay.' });
    await strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
    const ofDocument = (body: Record<string, any>) => body.entry?.documentId === article.documentId || body.job?.documentId === article.documentId;

    const jobs = await waitFor(async () => {
      const rows = (await allJobs(strapi)).filter((job) => job.targetDocumentId === article.documentId);
      return rows.length === 3 && rows;
    }, { what: 'three jobs for the article' });
    const byRule = Object.fromEntries(jobs.map((job) => [job.rule, job]));
    const cover = await waitForJobStatus(strapi, byRule['article-cover'].id, ['succeeded']);
    const review = await waitForJobStatus(strapi, byRule['article-photo'].id, ['awaiting_review']);
    await waitFor(async () => (await allJobs(strapi)).find((job) => job.id === byRule['article-gallery-denied'].id && job.status === 'failed'), { what: 'the denied job to fail' });

    const succeeded = await waitFor(async () => receiver.of('ai-assets.job.succeeded', ofDocument)[0], { what: 'ai-assets.job.succeeded' });
    expect(succeeded.body.job).toEqual({
      id: cover.id, rule: 'article-cover', contentType: 'api::article.article', documentId: article.documentId, locale: 'en', status: 'succeeded',
      trigger: 'publish', fileUrl: cover.result.url, fileId: cover.resultFileId, attachedField: 'cover', error: null,
    });
    const awaiting = await waitFor(async () => receiver.of('ai-assets.job.awaiting_review', ofDocument)[0], { what: 'ai-assets.job.awaiting_review' });
    expect(awaiting.body.job).toMatchObject({ id: review.id, status: 'awaiting_review', fileUrl: review.result.url, attachedField: null });
    const failed = await waitFor(async () => receiver.of('ai-assets.job.failed', ofDocument)[0], { what: 'ai-assets.job.failed' });
    expect(failed.body.job).toMatchObject({ rule: 'article-gallery-denied', status: 'failed', fileUrl: null, error: { code: expect.any(String), retryable: false } });
    expect(failed.body.job.error.message).toMatch(/key|auth/i);

    // The editor's publish (no media yet) and the attach (with the cover): one event each.
    const withCover = await waitFor(async () => receiver.of('entry.publish', (body) => body.entry?.documentId === article.documentId && body.entry?.cover?.id === cover.resultFileId)[0], { what: 'entry.publish with the cover' });
    expect(withCover.body).toMatchObject({ model: 'article', uid: 'api::article.article', entry: { locale: 'en', cover: { url: cover.result.url } } });
    expect(withCover.body.entry.publishedAt).toBeTruthy();
    expect(receiver.of('entry.publish', (body) => body.entry?.documentId === article.documentId)).toHaveLength(2);

    const approved = await admin.post(`/ai-assets/jobs/${review.id}/approve`, {});
    expect(approved.status).toBe(200);
    const withPhoto = await waitFor(async () => receiver.of('entry.publish', (body) => body.entry?.documentId === article.documentId && body.entry?.photo?.id === review.resultFileId)[0], { what: 'entry.publish with the photo' });
    expect(withPhoto.body.entry.cover.id).toBe(cover.resultFileId);
    const approvedEvent = await waitFor(async () => receiver.of('ai-assets.job.approved', ofDocument)[0], { what: 'ai-assets.job.approved' });
    expect(approvedEvent.body.job).toMatchObject({ id: review.id, status: 'approved', attachedField: 'photo', fileId: review.resultFileId });
    expect(receiver.of('entry.publish', (body) => body.entry?.documentId === article.documentId)).toHaveLength(3);

    for (const event of PLUGIN_EVENTS) expect(receiver.of(event, ofDocument)).toHaveLength(1);
    expect(receiver.received.some((hook) => hook.raw.includes(WRONG_KEY))).toBe(false);
  });

  it('sends one entry.update with the new media for a type without Draft & Publish', async () => {
    const { strapi } = app;
    const snippet = (await strapi.documents('api::snippet.snippet' as never).create({ data: { title: 'Lighthouse' } } as never)) as { documentId: string };
    const job = await waitFor(async () => (await allJobs(strapi)).find((row) => row.targetDocumentId === snippet.documentId), { what: 'the snippet job' });
    const done = await waitForJobStatus(strapi, job.id, ['succeeded']);
    const withImage = await waitFor(
      async () => receiver.of('entry.update', (body) => body.entry?.documentId === snippet.documentId && body.entry?.image?.id === done.resultFileId)[0],
      { what: 'entry.update with the image' }
    );
    expect(withImage.body.uid).toBe('api::snippet.snippet');
    expect(receiver.of('entry.update', (body) => body.entry?.documentId === snippet.documentId)).toHaveLength(1);
    expect(receiver.of('entry.publish', (body) => body.entry?.documentId === snippet.documentId)).toHaveLength(0);
  });
});
