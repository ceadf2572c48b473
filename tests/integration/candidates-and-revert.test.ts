/**
 * Candidates and revert on the real playground, with OpenAI faked over HTTP: a review rule with n: 3 makes one
 * paid call, stores three candidates and bills all three; approving the second attaches it (draft and live);
 * removing another deletes its file; the entry's image history lists each attach and a revert puts an earlier
 * image back with the same webhooks as an approve (plus `ai-assets.job.reverted`), and refuses a deleted file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FakeOpenAI } from '../fakes/fake-openai';
import { computeCostUsd, DEFAULT_PRICES } from '../../server/src/providers/openai/pricing';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config } from './support/configs';
import { createArticle, findArticle, jobById, waitForJobStatus, type JobRow } from './support/jobs';
import { api, createSuperAdmin, createUserWithActions, login } from './support/admin';
import { startWebhookReceiver } from './support/webhook-receiver';
import { waitFor } from './support/wait';

const API_KEY = 'sk-proj-candidates-0123456789';
const candidatesRule = {
  id: 'article-photo-candidates',
  contentType: 'api::article.article',
  on: ['publish'],
  onlyIfEmpty: false,
  provider: 'openai',
  prompt: 'Photograph for "{{title}}"',
  params: { size: '1024x1024', quality: 'low', n: 3 },
  output: { format: 'webp', quality: 80, width: 512, height: 512 },
  target: 'photo',
  review: true,
  folder: 'AI Assets/Candidates',
};

describe('candidates and revert', () => {
  let app: TestApp;
  let fake: FakeOpenAI;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let admin: ReturnType<typeof api>;
  let reader: ReturnType<typeof api>;
  let documentId: string;
  let first: JobRow;

  const fileOnDisk = (url: string) => path.join(app.workDir, 'public', url);
  const libraryFile = (id: number) => app.strapi.db.query('plugin::upload.file').findOne({ where: { id } });

  beforeAll(async () => {
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
    receiver = await startWebhookReceiver();
    app = await bootPlayground({
      config: config([candidatesRule], { providers: { openai: { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 10_000 } } }),
    });
    await createSuperAdmin(app.strapi);
    admin = api(app.strapi, await login(app.strapi, 'super@example.test'));
    await createUserWithActions(app.strapi, 'reader@example.test', ['plugin::ai-assets.read']);
    reader = api(app.strapi, await login(app.strapi, 'reader@example.test'));
    const hook = await admin.post('/admin/webhooks', { name: 'site', url: receiver.url, headers: {}, events: ['entry.publish', 'entry.update', 'ai-assets.job.approved', 'ai-assets.job.reverted'] });
    expect(hook.status).toBe(201);

    const article = await createArticle(app.strapi, { title: 'Tidal Mill' });
    documentId = article.documentId;
    await app.strapi.documents('api::article.article' as never).publish({ documentId, locale: 'en' } as never);
    const queued = await waitFor(async () => (await app.strapi.db.query('plugin::ai-assets.job').findOne({ where: { targetDocumentId: documentId } })) as JobRow | null, { what: 'the candidates job' });
    first = await waitForJobStatus(app.strapi, queued.id, ['awaiting_review']);
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await receiver?.stop();
    await fake?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it('makes one provider call for n: 3, stores three distinct candidates and bills all three', async () => {
    const calls = fake.requestsTo('/images/generations');
    expect(calls).toHaveLength(1);
    expect(calls[0].json).toMatchObject({ n: 3 });
    const candidates = first.result.candidates as Array<{ index: number; fileId: number; url: string; width: number; height: number; provenance: unknown }>;
    expect(candidates.map((candidate) => candidate.index)).toEqual([0, 1, 2]);
    expect(new Set(candidates.map((candidate) => candidate.fileId)).size).toBe(3);
    for (const candidate of candidates) {
      expect(candidate).toMatchObject({ width: 512, height: 512, provenance: expect.objectContaining({ aiGenerated: true }) });
      expect(await libraryFile(candidate.fileId)).toMatchObject({ mime: 'image/webp' });
    }
    // The pick before review is the first candidate.
    expect(first.resultFileId).toBe(candidates[0].fileId);
    const onePrice = computeCostUsd(DEFAULT_PRICES, { model: first.model, size: '1024x1024', quality: 'low', images: 1 }) as number;
    expect(onePrice).toBeGreaterThan(0);
    expect(Number(first.costUsd)).toBeCloseTo(onePrice * 3, 6);

    const detail = await admin.get(`/ai-assets/jobs/${first.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.data.candidates.map((candidate: { picked: boolean; fileExists: boolean }) => [candidate.picked, candidate.fileExists])).toEqual([[true, true], [false, true], [false, true]]);
  });

  it('refuses a candidate that does not exist with a reason', async () => {
    const response = await admin.post(`/ai-assets/jobs/${first.id}/approve`, { candidate: 7 });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/no candidate 7/);
  });

  it('approving the second candidate attaches its file to the draft and the live entry', async () => {
    const second = first.result.candidates[1];
    const response = await admin.post(`/ai-assets/jobs/${first.id}/approve`, { candidate: 1 });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ status: 'approved', attachedField: 'photo', result: { fileId: second.fileId } });
    expect((await findArticle(app.strapi, documentId, 'draft'))?.photo?.id).toBe(second.fileId);
    expect((await findArticle(app.strapi, documentId, 'published'))?.photo?.id).toBe(second.fileId);
    const approved = await waitFor(async () => receiver.of('ai-assets.job.approved', (body) => body.job?.id === first.id)[0], { what: 'ai-assets.job.approved' });
    expect(approved.body.job).toMatchObject({ fileId: second.fileId, attachedField: 'photo' });
    await waitFor(async () => receiver.of('entry.publish', (body) => body.entry?.documentId === documentId && body.entry?.photo?.id === second.fileId)[0], { what: 'entry.publish with candidate 2' });
    first = await jobById(app.strapi, first.id);
  });

  it('removes a candidate (its file leaves the Media Library) but never the attached one', async () => {
    const [candidate0, candidate1] = first.result.candidates;
    expect(existsSync(fileOnDisk(candidate0.url))).toBe(true);
    const denied = await reader.delete(`/ai-assets/jobs/${first.id}/candidates/0`);
    expect(denied.status).toBe(403);

    const removed = await admin.delete(`/ai-assets/jobs/${first.id}/candidates/0`);
    expect(removed.status).toBe(200);
    expect(await libraryFile(candidate0.fileId)).toBeNull();
    expect(existsSync(fileOnDisk(candidate0.url))).toBe(false);
    const job = await jobById(app.strapi, first.id);
    expect(job.result.candidates[0].removedAt).toEqual(expect.any(String));
    expect(job.resultFileId).toBe(candidate1.fileId);

    const attached = await admin.delete(`/ai-assets/jobs/${first.id}/candidates/1`);
    expect(attached.status).toBe(409);
    expect(attached.body.error.message).toMatch(/attached/);
    expect(await libraryFile(candidate1.fileId)).not.toBeNull();
    first = job;
  });

  it('lists the image history newest first and reverts to an earlier image with the approve webhooks', async () => {
    const run = await admin.post(`/ai-assets/rules/${candidatesRule.id}/run`, { documentId, locale: 'en', force: true });
    expect(run.status).toBe(202);
    await waitForJobStatus(app.strapi, run.body.data.jobId, ['awaiting_review']);
    const approvedSecond = await admin.post(`/ai-assets/jobs/${run.body.data.jobId}/approve`, {});
    expect(approvedSecond.status).toBe(200);
    const laterFileId = approvedSecond.body.data.result.fileId as number;
    const earlierFileId = first.resultFileId as number;
    expect((await findArticle(app.strapi, documentId, 'published'))?.photo?.id).toBe(laterFileId);

    const history = await reader.get(`/ai-assets/history?contentType=api::article.article&documentId=${documentId}&locale=en&field=photo`);
    expect(history.status).toBe(200);
    expect(history.body.data.map((entry: { jobId: number; fileId: number; current: boolean }) => [entry.jobId, entry.fileId, entry.current])).toEqual([
      [run.body.data.jobId, laterFileId, true],
      [first.id, earlierFileId, false],
    ]);

    const denied = await reader.post(`/ai-assets/jobs/${first.id}/revert`, { field: 'photo' });
    expect(denied.status).toBe(403);
    const publishesBefore = receiver.of('entry.publish', (body) => body.entry?.documentId === documentId).length;
    const reverted = await admin.post(`/ai-assets/jobs/${first.id}/revert`, { field: 'photo' });
    expect(reverted.status).toBe(200);
    expect(reverted.body.data).toMatchObject({ trigger: 'revert', parentJobId: first.id, status: 'succeeded', attachedField: 'photo', result: { fileId: earlierFileId } });
    expect((await findArticle(app.strapi, documentId, 'draft'))?.photo?.id).toBe(earlierFileId);
    expect((await findArticle(app.strapi, documentId, 'published'))?.photo?.id).toBe(earlierFileId);

    const revertedEvent = await waitFor(async () => receiver.of('ai-assets.job.reverted', (body) => body.job?.documentId === documentId)[0], { what: 'ai-assets.job.reverted' });
    expect(revertedEvent.body.job).toMatchObject({ id: reverted.body.data.id, status: 'reverted', trigger: 'revert', fileId: earlierFileId, attachedField: 'photo' });
    await waitFor(async () => receiver.of('entry.publish', (body) => body.entry?.documentId === documentId && body.entry?.photo?.id === earlierFileId).length >= 2, { what: 'entry.publish with the earlier photo back' });
    expect(receiver.of('entry.publish', (body) => body.entry?.documentId === documentId)).toHaveLength(publishesBefore + 1);
    expect(receiver.of('entry.update', (body) => body.entry?.documentId === documentId && body.entry?.photo?.id === earlierFileId).length).toBeGreaterThanOrEqual(1);

    const after = await reader.get(`/ai-assets/history?contentType=api::article.article&documentId=${documentId}&locale=en&field=photo`);
    expect(after.body.data.map((entry: { fileId: number; current: boolean; revertOf: number | null }) => [entry.fileId, entry.current, entry.revertOf])).toEqual([
      [earlierFileId, true, first.id],
      [laterFileId, false, null],
      [earlierFileId, true, null],
    ]);
    const again = await admin.post(`/ai-assets/jobs/${first.id}/revert`, { field: 'photo' });
    expect(again.status).toBe(409);
  });

  it('refuses to revert to an image deleted from the Media Library, with the reason', async () => {
    const history = await admin.get(`/ai-assets/history?contentType=api::article.article&documentId=${documentId}&locale=en&field=photo`);
    const later = history.body.data.find((entry: { current: boolean; revertOf: number | null }) => !entry.current);
    const file = await libraryFile(later.fileId);
    await app.strapi.plugin('upload').service('upload').remove(file);

    const listed = await admin.get(`/ai-assets/history?contentType=api::article.article&documentId=${documentId}&locale=en&field=photo`);
    expect(listed.body.data.find((entry: { jobId: number }) => entry.jobId === later.jobId)).toMatchObject({ fileExists: false });
    const response = await admin.post(`/ai-assets/jobs/${later.jobId}/revert`, { field: 'photo' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/deleted from the Media Library/);
    expect((await findArticle(app.strapi, documentId, 'published'))?.photo?.id).toBe(first.resultFileId);
  });

  it('an approve and a removal of the same candidate racing: one wins, and the entry never holds a deleted file', async () => {
    const run = await admin.post(`/ai-assets/rules/${candidatesRule.id}/run`, { documentId, locale: 'en', force: true });
    expect(run.status).toBe(202);
    const racing = await waitForJobStatus(app.strapi, run.body.data.jobId, ['awaiting_review']);
    const target = racing.result.candidates[2];
    const [approve, remove] = await Promise.all([
      admin.post(`/ai-assets/jobs/${racing.id}/approve`, { candidate: 2 }),
      admin.delete(`/ai-assets/jobs/${racing.id}/candidates/2`),
    ]);
    expect([approve.status, remove.status].filter((status) => status === 200)).toHaveLength(1);
    const job = await jobById(app.strapi, racing.id);
    if (approve.status === 200) {
      expect(remove.status).toBe(409);
      expect(job).toMatchObject({ status: 'approved', resultFileId: target.fileId });
      expect((await findArticle(app.strapi, documentId, 'published'))?.photo?.id).toBe(target.fileId);
      expect(await libraryFile(target.fileId)).not.toBeNull();
    } else {
      expect(approve.status).toBeGreaterThanOrEqual(400);
      expect(approve.status).toBeLessThan(500);
      expect(job.status).toBe('awaiting_review');
      expect(job.result.candidates[2].removedAt).toEqual(expect.any(String));
      expect(await libraryFile(target.fileId)).toBeNull();
    }
    const photo = (await findArticle(app.strapi, documentId, 'draft'))?.photo;
    expect(await libraryFile(photo.id)).not.toBeNull();
  });
});
