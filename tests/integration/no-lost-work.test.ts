/**
 * Nothing lost between the publish and the attach: two attaches to one multiple-media field at once both end
 * attached (draft and live), and a publish whose enqueue was lost is queued by the sweep when Strapi restarts.
 * Run with TEST_DATABASE=postgres for truly concurrent transactions.
 */
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import sharp from 'sharp';
import type { Core } from '@strapi/strapi';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, coverRule } from './support/configs';
import { allJobs, createArticle, findArticle, waitForJobStatus } from './support/jobs';
import { waitFor } from './support/wait';

async function uploadImage(strapi: Core.Strapi, name: string): Promise<number> {
  const data = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#336699' } }).png().toBuffer();
  const filepath = path.join(mkdtempSync(path.join(tmpdir(), 'ai-assets-img-')), name);
  writeFileSync(filepath, data);
  const [file] = await strapi.plugin('upload').service('upload').upload({
    data: { fileInfo: { name } },
    files: { filepath, originalFilename: name, mimetype: 'image/png', size: data.length },
  });
  return file.id;
}

/** Listens to both events that `update({ status: 'published' })` emits for one action. */
const photoOnSaveRule = { ...coverRule, id: 'article-photo-on-save', on: ['publish', 'update'], target: 'photo', folder: 'AI Assets/Photos' };

describe('attach without lost updates', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootPlayground({ config: config([photoOnSaveRule]) });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it('keeps both files when two attaches append to one multiple-media field at once (10 rounds)', async () => {
    const { strapi } = app;
    const attacher = strapi.plugin('ai-assets').service('attacher');
    const article = await createArticle(strapi, { title: 'Contended Gallery' });
    await strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
    const expected: number[] = [];
    for (let round = 0; round < 10; round += 1) {
      const files = [await uploadImage(strapi, `a-${round}.png`), await uploadImage(strapi, `b-${round}.png`)];
      const target = { contentType: 'api::article.article', documentId: article.documentId, locale: 'en', field: 'gallery' };
      const results = await Promise.all(files.map((fileId) => attacher.attach(target, fileId, { publishToLive: true })));
      expect(results).toEqual([{ published: true }, { published: true }]);
      expected.push(...files);
      const draft = await findArticle(strapi, article.documentId, 'draft');
      const live = await findArticle(strapi, article.documentId, 'published');
      expect(draft?.gallery.map((file: { id: number }) => file.id).sort()).toEqual([...expected].sort());
      expect(live?.gallery.map((file: { id: number }) => file.id).sort()).toEqual([...expected].sort());
    }
  });

  it('queues one job when one action touches an entry twice (update with status published)', async () => {
    const { strapi } = app;
    const article = await createArticle(strapi, { title: 'Twice Touched', summary: 'Saved and published at once.' });
    await strapi.documents('api::article.article' as never).update({ documentId: article.documentId, locale: 'en', data: { summary: 'Saved, published.' }, status: 'published' } as never);
    const job = await waitFor(async () => (await allJobs(strapi)).find((row) => row.targetDocumentId === article.documentId), { what: 'the job' });
    const done = await waitForJobStatus(strapi, job.id, ['succeeded']);
    expect((await allJobs(strapi)).filter((row) => row.targetDocumentId === article.documentId).map((row) => row.id)).toEqual([job.id]);
    expect((await findArticle(strapi, article.documentId, 'published'))?.photo?.id).toBe(done.resultFileId);
  });
});

describe('no lost publish', () => {
  it('queues, at the next boot, a publish whose enqueue never happened, and nothing twice', async () => {
    let app = await bootPlayground({ config: config([coverRule]) });
    const workDir = app.workDir;
    try {
      const handled = await createArticle(app.strapi, { title: 'Handled Normally', summary: 'Queued at publish.' });
      await app.strapi.documents('api::article.article' as never).publish({ documentId: handled.documentId, locale: 'en' } as never);
      const handledJob = await waitFor(async () => (await allJobs(app.strapi)).find((job) => job.targetDocumentId === handled.documentId), { what: 'the normal job' });
      await waitForJobStatus(app.strapi, handledJob.id, ['succeeded']);

      // The process dies (here: the enqueue fails) right after Strapi committed the publish.
      const jobs = app.strapi.plugin('ai-assets').service('jobs');
      const lost = jest.spyOn(jobs, 'planAndEnqueue').mockRejectedValue(new Error('connection reset'));
      const article = await createArticle(app.strapi, { title: 'Lost In Transit', summary: 'Published just before a crash.' });
      await app.strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
      await waitFor(async () => lost.mock.calls.length > 0, { what: 'the enqueue attempt' });
      lost.mockRestore();
      await app.stop();

      app = await bootPlayground({ config: config([coverRule]), workDir });
      const recovered = await waitFor(async () => (await allJobs(app.strapi)).find((job) => job.targetDocumentId === article.documentId), { what: 'the sweep to queue the lost publish' });
      expect(recovered).toMatchObject({ rule: 'article-cover', trigger: 'publish', targetLocale: 'en' });
      const done = await waitForJobStatus(app.strapi, recovered.id, ['succeeded']);
      expect((await findArticle(app.strapi, article.documentId, 'published'))?.cover?.id).toBe(done.resultFileId);
      expect((await allJobs(app.strapi)).filter((job) => job.targetDocumentId === handled.documentId)).toHaveLength(1);

      // A second sweep over the same window finds nothing missing.
      expect(await app.strapi.plugin('ai-assets').service('publishSweep').sweepNow()).toBe(0);
      expect((await allJobs(app.strapi)).filter((job) => job.targetDocumentId === article.documentId)).toHaveLength(1);
    } finally {
      await app.stop();
      removeWorkDir(workDir);
    }
  }, 240_000);
});
