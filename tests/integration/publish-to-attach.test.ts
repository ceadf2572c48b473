/**
 * The spine, in a real Strapi: publish -> durable job -> local provider -> sharp -> Media Library -> attached,
 * plus dedupe and the plugin's own writes not looping.
 */
import sharp from 'sharp';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, coverRule } from './support/configs';
import { allJobs, createArticle, findArticle, waitForFirstJob, waitForJobStatus } from './support/jobs';
import { waitFor } from './support/wait';

const galleryRule = {
  id: 'article-gallery',
  contentType: 'api::article.article',
  on: ['publish', 'update'],
  onlyIfEmpty: false,
  operation: 'generate',
  prompt: 'Gallery picture for {{title}}',
  params: { size: '512x512' },
  output: { format: 'png', width: 256, height: 256, fit: 'cover' },
  target: 'gallery',
  folder: 'AI Assets/Galleries',
};

describe('publish -> attached image (local provider)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await bootPlayground({ config: config([coverRule, galleryRule]) });
  });
  afterAll(async () => {
    await app?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it('attaches a generated file with the configured format, size, folder, alt text and caption', async () => {
    const { strapi } = app;
    const article = await createArticle(strapi, { title: 'Northern Lights Over Tromsø', summary: 'A winter night in the Arctic.' });
    await strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);

    const queued = await waitForFirstJob(strapi, { rule: 'article-cover', targetDocumentId: article.documentId });
    expect(queued.trigger).toBe('publish');
    expect(queued.prompt).toBe('Editorial illustration for "Northern Lights Over Tromsø". A winter night in the Arctic.');
    const job = await waitForJobStatus(strapi, queued.id, ['succeeded']);
    expect(job.attachedField).toBe('cover');
    expect(job.attempts).toBe(1);
    expect(job.durationMs).toBeGreaterThanOrEqual(0);

    const file = await strapi.db.query('plugin::upload.file').findOne({ where: { id: job.resultFileId }, populate: ['folder'] });
    expect(file.mime).toBe('image/webp');
    expect([file.width, file.height]).toEqual([1200, 630]);
    expect(file.alternativeText).toBe('Northern Lights Over Tromsø');
    expect(file.caption).toBe('Generated for Northern Lights Over Tromsø');
    expect(file.name).toMatch(/^article-cover-northern-lights-over-tromso-[0-9a-f]{8}\.webp$/);
    expect(file.folder.name).toBe('Article covers');
    const parent = await strapi.db.query('plugin::upload.folder').findOne({ where: { id: file.folder.id }, populate: ['parent'] });
    expect(parent.parent.name).toBe('AI Assets');

    const bytes = readFileSync(path.join(app.publicDir, file.url));
    const metadata = await sharp(bytes).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['webp', 1200, 630]);
    expect(metadata.exif).toBeUndefined();

    const draft = await findArticle(strapi, article.documentId, 'draft');
    const published = await findArticle(strapi, article.documentId, 'published');
    expect(draft?.cover?.id).toBe(file.id);
    expect(published?.cover?.id).toBe(file.id);
  });

  it('queues nothing for an unchanged republish, and its own attach does not re-trigger rules', async () => {
    const { strapi } = app;
    const article = await createArticle(strapi, { title: 'Tidal Pools', summary: 'Small worlds at low tide.' });
    const documents = strapi.documents('api::article.article' as never);
    await documents.publish({ documentId: article.documentId, locale: 'en' } as never);

    const galleryJob = await waitForFirstJob(strapi, { rule: 'article-gallery', targetDocumentId: article.documentId });
    const coverJob = await waitForFirstJob(strapi, { rule: 'article-cover', targetDocumentId: article.documentId });
    await waitForJobStatus(strapi, galleryJob.id, ['succeeded']);
    const coverDone = await waitForJobStatus(strapi, coverJob.id, ['succeeded']);

    // The attaches above were document updates; a rule on 'update' would loop without the guard.
    const jobsForDocument = async () => (await allJobs(strapi)).filter((job) => job.targetDocumentId === article.documentId);
    expect((await jobsForDocument()).map((job) => job.rule).sort()).toEqual(['article-cover', 'article-gallery']);

    // Republish unchanged: cover is no longer empty (skipped); gallery has the same inputs (deduped).
    await documents.publish({ documentId: article.documentId, locale: 'en' } as never);
    await documents.update({ documentId: article.documentId, locale: 'en', data: { summary: 'Small worlds at low tide.' } } as never);
    const afterRepublish = await jobsForDocument();
    expect(afterRepublish).toHaveLength(2);

    const draft = await findArticle(strapi, article.documentId, 'draft');
    expect(draft?.gallery).toHaveLength(1);
    expect(draft?.cover?.id).toBe(coverDone.resultFileId);
  });

  it('queues a new job when the prompt inputs change', async () => {
    const { strapi } = app;
    const article = await createArticle(strapi, { title: 'Desert Bloom', summary: 'Rain in the Atacama.' });
    const documents = strapi.documents('api::article.article' as never);
    await documents.publish({ documentId: article.documentId, locale: 'en' } as never);
    const first = await waitForFirstJob(strapi, { rule: 'article-gallery', targetDocumentId: article.documentId });
    await waitForJobStatus(strapi, first.id, ['succeeded']);

    await documents.update({ documentId: article.documentId, locale: 'en', data: { title: 'Desert Bloom, Again' } } as never);
    const second = await waitForFirstJob(strapi, { rule: 'article-gallery', targetDocumentId: article.documentId, id: { $gt: first.id } });
    expect(second.trigger).toBe('update');
    expect(second.inputHash).not.toBe(first.inputHash);
    await waitForJobStatus(strapi, second.id, ['succeeded']);
    expect((await findArticle(strapi, article.documentId, 'draft'))?.gallery).toHaveLength(2);
  });

  it('still publishes when queueing fails, and logs why', async () => {
    const { strapi } = app;
    const jobs = strapi.plugin('ai-assets').service('jobs');
    const errors: string[] = [];
    const logSpy = jest.spyOn(strapi.log, 'error').mockImplementation(((message: string) => void errors.push(message)) as never);
    const enqueueSpy = jest.spyOn(jobs, 'planAndEnqueue').mockRejectedValue(new Error('database is locked'));
    try {
      const article = await createArticle(strapi, { title: 'Queue Down', summary: 'Publishing must not wait or fail.' });
      const published = await strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
      expect((published as { entries: unknown[] }).entries).toHaveLength(1);
      expect(await findArticle(strapi, article.documentId, 'published')).not.toBeNull();
      await waitFor(async () => errors.some((line) => line.includes('database is locked')), { what: 'the enqueue failure to be logged' });
      expect(errors.find((line) => line.includes('database is locked'))).toMatch(/ai-assets: could not queue rule article-(cover|gallery) for /);
      expect((await allJobs(strapi)).filter((job) => job.targetDocumentId === article.documentId)).toHaveLength(0);
    } finally {
      enqueueSpy.mockRestore();
      logSpy.mockRestore();
    }
  });
});
