/**
 * kie.ai in a real Strapi: createTask once, a signed callback wakes the poller (so the job finishes long before
 * the next scheduled poll), repeated callbacks are harmless, bad signatures get 401, and the result URL is
 * downloaded through the safe downloader.
 */
import request from 'supertest';
import { FakeKie } from '../fakes/fake-kie';
import { signKieCallback } from '../../server/src/providers/kie';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { FAST_QUEUE } from './support/configs';
import { createArticle, findArticle, waitForFirstJob, waitForJobStatus } from './support/jobs';

const SCHEDULED_POLL_MS = 60_000;

describe('kie provider in a real Strapi', () => {
  let app: TestApp;
  let fake: FakeKie;

  beforeAll(async () => {
    fake = await new FakeKie().start();
    fake.pollsUntilDone = 1;
    app = await bootPlayground({
      config: {
        providers: {
          kie: {
            type: 'kie',
            apiKey: fake.apiKey,
            baseUrl: fake.url,
            webhookSecret: fake.webhookSecret,
            pollIntervalMs: SCHEDULED_POLL_MS,
            maxPollIntervalMs: SCHEDULED_POLL_MS,
            taskTimeoutMs: 120_000,
            downloadHosts: ['127.0.0.1'],
            downloadAllowHttp: true,
            downloadAllowLoopback: true,
          },
        },
        rules: [
          { id: 'kie-cover', contentType: 'api::article.article', on: ['publish'], provider: 'kie', prompt: 'Poster for {{title}}', params: { aspect_ratio: '16:9', resolution: '1K' }, output: { format: 'webp', width: 640 }, target: 'cover' },
        ],
        queue: FAST_QUEUE,
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  const callback = (taskId: string, secret: string) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    return request(app.strapi.server.httpServer)
      .post('/api/ai-assets/providers/kie/callback')
      .set('x-webhook-timestamp', timestamp)
      .set('x-webhook-signature', signKieCallback(taskId, timestamp, secret))
      .send({ code: 200, msg: 'success', data: { taskId, state: 'success' } });
  };

  it('finishes the job as soon as a verified callback arrives, and ignores repeats and forgeries', async () => {
    const article = await createArticle(app.strapi, { title: 'Tram Lines' });
    await app.strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
    const job = await waitForFirstJob(app.strapi, { rule: 'kie-cover', targetDocumentId: article.documentId });
    await fake.waitForRequests('createTask', 1, 10_000);
    const taskId = [...fake.tasks.keys()][0];

    const forged = await callback(taskId, 'not-the-secret');
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toMatch(/signature mismatch/);

    const startedAt = Date.now();
    const first = await callback(taskId, fake.webhookSecret);
    const repeat = await callback(taskId, fake.webhookSecret);
    expect([first.status, repeat.status]).toEqual([200, 200]);

    const done = await waitForJobStatus(app.strapi, job.id, ['succeeded'], 15_000);
    expect(Date.now() - startedAt).toBeLessThan(SCHEDULED_POLL_MS);
    expect(done).toMatchObject({ providerRequestId: taskId, attempts: 1 });
    expect(Number(done.costUsd)).toBeCloseTo(0.03, 5);
    expect(fake.requestsTo('createTask')).toHaveLength(1);
    const cover = (await findArticle(app.strapi, article.documentId, 'draft'))?.cover;
    expect([cover?.mime, cover?.width, cover?.height]).toEqual(['image/webp', 640, 360]);
  });

  it('answers 404 for a provider without callbacks', async () => {
    const response = await request(app.strapi.server.httpServer).post('/api/ai-assets/providers/local/callback').send({});
    expect(response.status).toBe(404);
  });
});
