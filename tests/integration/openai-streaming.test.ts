/**
 * Streaming in a real Strapi: the `openai` provider asks the fake OpenAI for partial images; the running job
 * keeps its latest frame (small WebP) on its row and the admin reads it; the final image is the one attached;
 * the preview is gone once the job ends; a stream cut mid-way retries; an `error` event fails with its reason.
 */
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { FakeOpenAI } from '../fakes/fake-openai';
import { createSuperAdmin, login, api } from './support/admin';
import { FAST_QUEUE } from './support/configs';
import { createArticle, findArticle, jobById, waitForFirstJob, waitForJobStatus } from './support/jobs';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { waitFor } from './support/wait';

const API_KEY = 'sk-proj-streaming-KEY-5d1e0a7b3c';

const rule = {
  id: 'streamed-cover',
  contentType: 'api::article.article',
  on: ['publish'],
  provider: 'openai',
  prompt: 'Editorial illustration for "{{title}}"',
  params: { size: '1024x1024', quality: 'low' },
  output: { format: 'png', width: 512, height: 512, fit: 'cover' },
  target: 'cover',
};

describe('openai streaming in a real Strapi', () => {
  let app: TestApp;
  let fake: FakeOpenAI;
  let token: string;

  beforeAll(async () => {
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
    app = await bootPlayground({
      config: {
        providers: { openai: { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 10_000, partialImages: 2 } },
        rules: [rule],
        queue: { ...FAST_QUEUE, maxAttempts: 3, backoffBaseMs: 100 },
      },
    });
    await createSuperAdmin(app.strapi);
    token = await login(app.strapi, 'super@example.test');
    // Booting Strapi on a busy CI machine can take longer than the default hook time.
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
    if (app) removeWorkDir(app.workDir);
  });
  beforeEach(() => {
    fake.streaming.frameDelayMs = 400;
  });

  async function publishArticle(title: string) {
    const article = await createArticle(app.strapi, { title });
    await app.strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
    const job = await waitForFirstJob(app.strapi, { rule: rule.id, targetDocumentId: article.documentId });
    return { article, job };
  }

  it('keeps the latest partial frame while running, attaches the final image, then drops the preview', async () => {
    const { article, job } = await publishArticle('A streamed fox');
    const running = await waitFor(async () => {
      const row = await jobById(app.strapi, job.id);
      return row.status === 'running' && row.previewData ? row : null;
    }, { what: 'a partial frame on the running job' });
    const preview = await sharp(Buffer.from(running.previewData, 'base64')).metadata();
    expect(preview.format).toBe('webp');
    expect(Math.max(preview.width!, preview.height!)).toBeLessThanOrEqual(256);
    expect([0, 1]).toContain(running.previewIndex);
    expect(running.previewAt).toBeTruthy();

    const served = await api(app.strapi, token).get(`/ai-assets/jobs/${job.id}/preview`);
    expect(served.status).toBe(200);
    // The job may finish between our read and the request: then the admin is told there is no frame any more.
    if (served.body.data.status === 'running') {
      expect(served.body.data.frame.image).toMatch(/^data:image\/webp;base64,/);
      expect([0, 1]).toContain(served.body.data.frame.index);
    }

    const done = await waitForJobStatus(app.strapi, job.id, ['succeeded']);
    expect(fake.requestsTo('/images/generations').at(-1)?.json).toMatchObject({ stream: true, partial_images: 2 });
    expect([done.previewData, done.previewIndex, done.previewAt]).toEqual([null, null, null]);
    expect(done.providerRequestId).toMatch(/^req_fake_/);
    expect(done.usage).toMatchObject({ totalTokens: 1050 });

    // The attached file is the final image (blue), never a partial frame (red).
    const entry = await findArticle(app.strapi, article.documentId, 'published');
    expect(entry.cover?.id).toBe(done.resultFileId);
    const { channels } = await sharp(path.join(app.publicDir, entry.cover.url)).stats();
    expect(channels[0].mean).toBeLessThan(50);
    expect(channels[2].mean).toBeGreaterThan(150);

    const after = await api(app.strapi, token).get(`/ai-assets/jobs/${job.id}/preview`);
    expect(after.body.data).toMatchObject({ status: 'succeeded', frame: null });
  });

  it('a stream cut mid-way fails the attempt with a readable reason and retries', async () => {
    fake.inject({ name: 'stream_cut', afterPartials: 1 });
    const { job } = await publishArticle('A cut stream');
    const done = await waitForJobStatus(app.strapi, job.id, ['succeeded']);
    expect(done.attempts).toBe(2);
    expect(done.attemptLog[0]).toMatchObject({ outcome: 'retry', errorCode: 'malformed_response', retryable: true });
    expect(done.attemptLog[0].errorMessage).toMatch(/^The answer from OpenAI was cut off before the end\. Will retry at .* \(attempt 2 of 3\)\.$/);
    expect(done.attemptLog[1]).toMatchObject({ outcome: 'succeeded' });
    expect(done.previewData).toBeNull();
  });

  it('an error event marks the job with the mapped reason and drops the preview', async () => {
    fake.inject({
      name: 'stream_error',
      afterPartials: 1,
      error: { type: 'image_generation_user_error', code: 'moderation_blocked', message: 'Your request was rejected by the safety system.', moderation_details: { moderation_stage: 'output', categories: ['violence'] } },
    });
    const { job } = await publishArticle('A blocked stream');
    const failed = await waitFor(async () => {
      const row = await jobById(app.strapi, job.id);
      return row.status === 'failed' ? row : null;
    }, { what: 'the job to fail' });
    expect(failed).toMatchObject({ errorCode: 'moderation_blocked', errorRetryable: false, attempts: 1, previewData: null, previewIndex: null });
    expect(failed.errorMessage).toMatch(/^OpenAI's safety system blocked the generated image \(violence\)\. Change the prompt or image; this is not retried\./);
  });

  it('serves the preview only to admins with read permission', async () => {
    const { job } = await publishArticle('Preview permissions');
    const anonymous = await request(app.strapi.server.httpServer).get(`/ai-assets/jobs/${job.id}/preview`);
    expect(anonymous.status).toBe(401);
    const missing = await api(app.strapi, token).get('/ai-assets/jobs/999999/preview');
    expect(missing.status).toBe(404);
    await waitForJobStatus(app.strapi, job.id, ['succeeded']);
  });
});
