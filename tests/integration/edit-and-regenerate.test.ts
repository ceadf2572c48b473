/**
 * Edit rules (the entry's own image is the source), admin regenerate and masked edit as child jobs,
 * manual runs, cancel and retry.
 */
import sharp from 'sharp';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Core } from '@strapi/strapi';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, coverRule } from './support/configs';
import { api, createSuperAdmin, login } from './support/admin';
import { createArticle, findArticle, jobById, waitForFirstJob, waitForJobStatus } from './support/jobs';

const editRule = {
  id: 'article-photo-edit',
  contentType: 'api::article.article',
  on: ['publish'],
  operation: 'edit',
  source: 'photo',
  target: 'cover',
  prompt: 'Give "{{title}}" a warm evening tone',
  params: { size: '800x600' },
  output: { format: 'jpeg', quality: 80, width: 400, height: 300, fit: 'cover' },
  folder: 'AI Assets/Edits',
};
const manualRule = { ...coverRule, id: 'article-manual', on: [], review: true, params: { size: '256x256' }, output: { format: 'png' } };
const slowRule = { ...manualRule, id: 'article-slow', params: { size: '256x256', delayMs: 3000 } };

async function uploadPhoto(strapi: Core.Strapi): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-assets-photo-'));
  const filepath = path.join(dir, 'photo.png');
  const gradient = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><defs><linearGradient id="g"><stop offset="0" stop-color="#135"/><stop offset="1" stop-color="#9cf"/></linearGradient></defs><rect width="640" height="480" fill="url(#g)"/></svg>'
  );
  writeFileSync(filepath, await sharp(gradient).png().toBuffer());
  const [file] = await strapi.plugin('upload').service('upload').upload({
    data: { fileInfo: { name: 'photo.png' } },
    files: { filepath, originalFilename: 'photo.png', mimetype: 'image/png', size: 1000 },
  });
  return file.id;
}

describe('edits, regenerations and manual runs', () => {
  let app: TestApp;
  let admin: ReturnType<typeof api>;

  beforeAll(async () => {
    app = await bootPlayground({ config: config([editRule, manualRule, slowRule]) });
    await createSuperAdmin(app.strapi);
    admin = api(app.strapi, await login(app.strapi, 'super@example.test'));
  });
  afterAll(async () => {
    await app?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it('edits the image in the source field and attaches the result to the target', async () => {
    const photoId = await uploadPhoto(app.strapi);
    const article = await createArticle(app.strapi, { title: 'Harbour Lights', photo: photoId });
    await app.strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
    const queued = await waitForFirstJob(app.strapi, { rule: 'article-photo-edit', targetDocumentId: article.documentId });
    expect(queued).toMatchObject({ operation: 'edit', sourceFileId: photoId });
    const done = await waitForJobStatus(app.strapi, queued.id, ['succeeded']);
    const draft = await findArticle(app.strapi, article.documentId, 'draft');
    expect(draft?.cover?.id).toBe(done.resultFileId);
    expect(draft?.photo?.id).toBe(photoId);
    expect([draft?.cover?.mime, draft?.cover?.width, draft?.cover?.height]).toEqual(['image/jpeg', 400, 300]);
  });

  it('runs a rule manually, regenerates with a new prompt as a child job, and edits with a mask', async () => {
    const article = await createArticle(app.strapi, { title: 'Paper Boats' });
    const run = await admin.post('/ai-assets/rules/article-manual/run', { documentId: article.documentId, locale: 'en' });
    expect(run.status).toBe(202);
    expect(run.body.data).toMatchObject({ status: 'queued', deduplicated: false });
    const parent = await waitForJobStatus(app.strapi, run.body.data.jobId, ['awaiting_review']);

    const rerun = await admin.post('/ai-assets/rules/article-manual/run', { documentId: article.documentId, locale: 'en' });
    expect(rerun.body.data).toMatchObject({ jobId: parent.id, deduplicated: true });

    const regenerated = await admin.post(`/ai-assets/jobs/${parent.id}/regenerate`, { prompt: 'Origami boats for {{title}} at dawn' });
    expect(regenerated.status).toBe(202);
    const child = await waitForJobStatus(app.strapi, regenerated.body.data.jobId, ['awaiting_review']);
    expect(child).toMatchObject({ parentJobId: parent.id, trigger: 'regenerate', prompt: 'Origami boats for Paper Boats at dawn' });

    // Mask: left half transparent (edit there), right half opaque (keep).
    const mask = await sharp({ create: { width: 256, height: 256, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } } })
      .composite([{ input: await sharp({ create: { width: 128, height: 256, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } }).png().toBuffer(), left: 0, top: 0, blend: 'dest-out' }])
      .png()
      .toBuffer();
    const edited = await admin.post(`/ai-assets/jobs/${child.id}/edit`, { prompt: 'Add a red sail', source: 'result', mask: `data:image/png;base64,${mask.toString('base64')}` });
    expect(edited.status).toBe(202);
    const editJob = await waitForJobStatus(app.strapi, edited.body.data.jobId, ['awaiting_review']);
    expect(editJob).toMatchObject({ parentJobId: child.id, operation: 'edit', sourceFileId: child.resultFileId, trigger: 'edit' });
    expect(editJob.resultFileId).not.toBe(child.resultFileId);

    const detail = await admin.get(`/ai-assets/jobs/${child.id}`);
    expect(detail.body.data.parent.id).toBe(parent.id);
    expect(detail.body.data.children.map((job: { id: number }) => job.id)).toEqual([editJob.id]);
    expect(detail.body.data.entryMediaFields).toEqual(expect.arrayContaining(['cover', 'photo', 'gallery']));
  });

  it('cancels a running job (the worker lets go and uploads nothing), then retries it', async () => {
    const article = await createArticle(app.strapi, { title: 'Slow Clouds' });
    const slow = await admin.post('/ai-assets/rules/article-slow/run', { documentId: article.documentId, locale: 'en' });
    const jobId = slow.body.data.jobId as number;
    await waitForJobStatus(app.strapi, jobId, ['running']);
    const canceled = await admin.post(`/ai-assets/jobs/${jobId}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body.data.status).toBe('canceled');
    // The worker notices on its next heartbeat and aborts; the row must stay canceled with no result.
    await waitForJobStatus(app.strapi, jobId, ['canceled']);
    expect((await admin.post(`/ai-assets/jobs/${jobId}/cancel`)).status).toBe(409);

    const retried = await admin.post(`/ai-assets/jobs/${jobId}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.data.status).toBe('queued');
    const done = await waitForJobStatus(app.strapi, jobId, ['awaiting_review']);
    expect(done.attempts).toBe(1);
    expect(done.resultFileId).toEqual(expect.any(Number));
  });
});
