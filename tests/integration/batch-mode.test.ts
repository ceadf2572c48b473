/**
 * Batch mode in the real playground against the fake OpenAI Files and Batch APIs over HTTP: a batch-mode
 * backfill goes through one uploaded JSONL file and one batch (no synchronous call), failed lines fail only
 * their job with a readable reason while the others attach, costs are recorded at the batch price and match
 * the estimate; an expired batch's unfinished jobs go into a later batch; canceling the backfill cancels its
 * open batch; a batch sent before a restart is polled and mapped after it; a batch whose create answer was lost
 * is found by its metadata and adopted, not sent again.
 */
import { FakeOpenAI } from '../fakes/fake-openai';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { FAST_QUEUE } from './support/configs';
import { createArticle, findArticle } from './support/jobs';
import { api, createSuperAdmin, login } from './support/admin';
import { waitFor } from './support/wait';
import { backfillReader, jobsOfBackfill, type BackfillView } from './support/backfills';

const API_KEY = 'sk-proj-batch-KEY-5e6f7a8b9c';
const BATCH_PRICE = 0.006 * 0.5; // gpt-image-2, 1024x1024, low quality, at half price

const rule = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  contentType: 'api::article.article',
  on: [],
  provider: 'openai',
  prompt: 'Product shot of "{{title}}"',
  params: { size: '1024x1024', quality: 'low' },
  output: { format: 'webp', quality: 60, width: 64, height: 64, fit: 'cover' },
  target: 'cover',
  folder: 'AI Assets/Batch',
  ...extra,
});

describe('batch mode in a real Strapi', () => {
  let app: TestApp;
  let fake: FakeOpenAI;
  let token: string;
  let config: Record<string, unknown>;

  const boot = async (workDir?: string) => {
    app = await bootPlayground({ config, workDir });
    if (workDir) token = await login(app.strapi, 'super@example.test');
  };
  const admin = () => api(app.strapi, token);
  const { backfill, waitForBackfill } = backfillReader(admin);
  const jobsOf = jobsOfBackfill;
  const startBatchBackfill = async (titlePrefix: string) => {
    const created = (await admin().post('/ai-assets/backfills', { ruleId: 'bulk-cover', filters: { title: { $startsWith: titlePrefix } }, mode: 'batch', dryRun: true }).expect(200)).body.data;
    const ready = created.status === 'ready' ? created : await waitForBackfill(created.id, (view) => view.status === 'ready', 'the estimate');
    await admin().post(`/ai-assets/backfills/${ready.id}/start`).expect(200);
    return ready as BackfillView;
  };
  /** Generations the plugin itself sent (the fake's batch lines call the same endpoint, marked). */
  const synchronousCalls = () => fake.requestsTo('/v1/images/generations').filter((call) => !call.headers['x-fake-batch-line']);

  beforeAll(async () => {
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
    config = {
      providers: { openai: { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 5000 } },
      rules: [rule('bulk-cover'), rule('sync-cover', { provider: 'local', params: {} }), rule('multi-cover', { review: true, params: { size: '1024x1024', quality: 'low', n: 2 } })],
      queue: { ...FAST_QUEUE, concurrency: 2 },
      backfill: { pageSize: 20, maxQueuedPerBackfill: 50, tickMs: 100, stepLeaseMs: 5000 },
      batch: { pollIntervalMs: 200, collectMs: 1000, maxJobsPerBatch: 100, leaseMs: 5000 },
    };
    await boot();
    await createSuperAdmin(app.strapi);
    token = await login(app.strapi, 'super@example.test');
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
    if (app) removeWorkDir(app.workDir);
  });
  afterEach(() => {
    fake.batchApi.dropCreateAnswers = 0;
    fake.batchApi.behaviour = {};
    fake.batchApi.timing = { validatingMs: 50, inProgressMs: 100 };
  });

  it('runs a backfill through one batch: failed lines fail only their job, the rest attach at the batch price', async () => {
    const titles = ['Lamp 1', 'Lamp 2', 'Lamp 3', 'Lamp 4', 'Lamp Broken 5', 'Lamp 6', 'Lamp Broken 7', 'Lamp 8'];
    const articles = new Map<string, string>();
    for (const title of titles) articles.set((await createArticle(app.strapi, { title })).documentId, title);
    fake.batchApi.behaviour = {
      failLine: (line) =>
        String(line.body.prompt).includes('Broken')
          ? { status: 400, error: { message: 'Your request was rejected by the safety system.', type: 'image_generation_user_error', code: 'moderation_blocked' } }
          : undefined,
    };
    fake.batchApi.timing = { validatingMs: 50, inProgressMs: 1500 };
    const uploadsBefore = fake.requestsTo('/v1/files').filter((call) => call.method === 'POST').length;

    const ready = await startBatchBackfill('Lamp');
    expect(ready).toMatchObject({ mode: 'batch', matched: 8, toQueue: 8 });
    // The dry run prices the batch: half the synchronous table.
    expect(ready.estimatedUsd).toBeCloseTo(8 * BATCH_PRICE, 6);

    // While OpenAI works on it, the jobs say where they wait.
    const waiting = await waitFor(async () => {
      const jobs = await jobsOf(app.strapi, ready.id);
      const inBatch = jobs.filter((job) => /^In OpenAI batch batch_fake\d+, submitted at \d{4}-/.test(job.waitReason ?? ''));
      return inBatch.length === 8 ? inBatch : null;
    }, { what: 'the jobs waiting in the batch', timeoutMs: 30_000 });
    const jobView = (await admin().get(`/ai-assets/jobs/${waiting[0].id}`).expect(200)).body.data;
    expect(jobView.waitReason).toMatch(/^In OpenAI batch batch_fake\d+, submitted at /);

    const done = await waitForBackfill(ready.id, (view) => view.status === 'done', 'the batch backfill to finish');
    expect(done.progress).toMatchObject({ succeeded: 6, failed: 2, percent: 100 });
    expect(done.batches).toHaveLength(1);
    expect(done.batches[0]).toMatchObject({ state: 'ended', remoteStatus: 'completed', jobCount: 8, requestCounts: { total: 8, completed: 6, failed: 2 } });

    // One file, one batch, and no synchronous generation.
    expect(fake.requestsTo('/v1/files').filter((call) => call.method === 'POST').length - uploadsBefore).toBe(1);
    const created = fake.requestsTo('/v1/batches').filter((call) => call.method === 'POST' && call.path === '/v1/batches');
    expect(created.at(-1)?.json).toMatchObject({ endpoint: '/v1/images/generations', completion_window: '24h' });
    expect(synchronousCalls()).toHaveLength(0);

    const jobs = await jobsOf(app.strapi, ready.id);
    for (const job of jobs) {
      const title = articles.get(job.targetDocumentId) as string;
      if (title.includes('Broken')) {
        expect(job).toMatchObject({ status: 'failed', errorCode: 'moderation_blocked', resultFileId: null });
        expect(job.errorMessage).toMatch(/safety system/);
        expect(job.errorMessage).not.toContain(API_KEY);
        continue;
      }
      expect(job.status).toBe('succeeded');
      expect(Number(job.costUsd)).toBeCloseTo(BATCH_PRICE, 6);
      expect(job.result.provenance).toBeDefined();
      expect(job.checkpointData ?? null).toBeNull();
      const article = await findArticle(app.strapi, job.targetDocumentId, 'draft');
      expect(article.cover?.id).toBe(job.resultFileId);
    }
    const recorded = jobs.reduce((sum, job) => sum + Number(job.costUsd ?? 0), 0);
    const estimatedForSucceeded = (done.estimatedUsd / 8) * 6;
    expect(Math.abs(estimatedForSucceeded - recorded) / recorded).toBeLessThanOrEqual(0.1);
  }, 120_000);

  it('sends the unfinished jobs of an expired batch in a later batch', async () => {
    for (let index = 0; index < 4; index += 1) await createArticle(app.strapi, { title: `Kettle ${index}` });
    fake.batchApi.nextBatch({ expireAfterLines: 2 });
    const batchesBefore = fake.batchApi.batches.size;
    const ready = await startBatchBackfill('Kettle');
    const done = await waitForBackfill(ready.id, (view) => view.status === 'done', 'the expired backfill to finish');
    expect(done.progress).toMatchObject({ succeeded: 4, failed: 0 });
    expect(fake.batchApi.batches.size - batchesBefore).toBe(2);
    expect(done.batches.map((batch: BackfillView) => batch.remoteStatus).sort()).toEqual(['completed', 'expired']);
    const jobs = await jobsOf(app.strapi, ready.id);
    const retried = jobs.filter((job) => (job.attemptLog ?? []).some((entry: BackfillView) => entry.errorCode === 'batch_expired' && entry.outcome === 'retry'));
    expect(retried).toHaveLength(2);
    expect(synchronousCalls()).toHaveLength(0);
  }, 120_000);

  it('fails the unfinished jobs of an expired batch with a readable reason when no attempt is left', async () => {
    await app.stop();
    config = { ...config, queue: { ...FAST_QUEUE, concurrency: 2, maxAttempts: 1 } };
    await boot(app.workDir);
    for (let index = 0; index < 3; index += 1) await createArticle(app.strapi, { title: `Toaster ${index}` });
    fake.batchApi.nextBatch({ expireAfterLines: 1 });
    const ready = await startBatchBackfill('Toaster');
    const done = await waitForBackfill(ready.id, (view) => view.status === 'done', 'the expired backfill to finish');
    expect(done.progress).toMatchObject({ succeeded: 1, failed: 2 });
    const failed = (await jobsOf(app.strapi, ready.id)).filter((job) => job.status === 'failed');
    for (const job of failed) {
      expect(job.errorCode).toBe('batch_expired');
      expect(job.errorMessage).toMatch(/could not be executed before the completion window expired.*Gave up after 1 attempts/);
    }
  }, 180_000);

  it('cancels the open batch when the backfill is canceled', async () => {
    for (let index = 0; index < 3; index += 1) await createArticle(app.strapi, { title: `Grinder ${index}` });
    fake.batchApi.timing = { validatingMs: 50, inProgressMs: 60_000 };
    const ready = await startBatchBackfill('Grinder');
    const submitted = await waitForBackfill(ready.id, (view) => view.batches[0]?.remoteStatus === 'in_progress', 'the batch to be in progress');
    await admin().post(`/ai-assets/backfills/${ready.id}/cancel`).expect(200);
    const remoteId = submitted.batches[0].remoteId as string;
    await waitFor(async () => fake.requestsTo(`/v1/batches/${remoteId}/cancel`).length > 0, { what: 'the cancel request' });
    await waitFor(async () => {
      const jobs = await jobsOf(app.strapi, ready.id);
      return jobs.length === 3 && jobs.every((job) => job.status === 'canceled') ? jobs : null;
    }, { what: 'the batch jobs to be canceled' });
    expect((await backfill(ready.id)).batches[0]).toMatchObject({ state: 'ended', remoteStatus: 'cancelled' });
  }, 120_000);

  it('polls and maps a batch sent before a restart after it', async () => {
    for (let index = 0; index < 3; index += 1) await createArticle(app.strapi, { title: `Mixer ${index}` });
    fake.batchApi.timing = { validatingMs: 50, inProgressMs: 4000 };
    const ready = await startBatchBackfill('Mixer');
    await waitForBackfill(ready.id, (view) => view.batches[0]?.state === 'submitted', 'the batch to be submitted');
    const { workDir } = app;
    await app.stop();
    await boot(workDir);
    const done = await waitForBackfill(ready.id, (view) => view.status === 'done', 'the backfill to finish after the restart');
    expect(done.progress).toMatchObject({ succeeded: 3, failed: 0 });
    expect(done.batches).toHaveLength(1);
    expect(done.batches[0]).toMatchObject({ state: 'ended', remoteStatus: 'completed' });
  }, 180_000);

  it('adopts a batch whose create answer was lost instead of sending its jobs in a second, paid batch', async () => {
    for (let index = 0; index < 3; index += 1) await createArticle(app.strapi, { title: `Blender ${index}` });
    fake.batchApi.dropCreateAnswers = 1;
    const batchesBefore = fake.batchApi.batches.size;
    const ready = await startBatchBackfill('Blender');
    const done = await waitForBackfill(ready.id, (view) => view.status === 'done', 'the backfill with a lost create answer to finish');
    expect(done.progress).toMatchObject({ succeeded: 3, failed: 0 });
    expect(fake.batchApi.batches.size - batchesBefore).toBe(1);
    expect(done.batches).toHaveLength(1);
    expect(done.batches[0]).toMatchObject({ state: 'ended', remoteStatus: 'completed', jobCount: 3 });
    expect(fake.requestsTo('/v1/batches').some((call) => call.method === 'GET' && call.path === '/v1/batches' && call.query.limit === '100')).toBe(true);
    expect(synchronousCalls()).toHaveLength(0);
  }, 120_000);

  it('refuses batch mode for a rule whose provider has no Batch API, naming it', async () => {
    const { body } = await admin().post('/ai-assets/backfills', { ruleId: 'sync-cover', mode: 'batch', dryRun: true }).expect(400);
    expect(body.error.message).toMatch(/mode "batch" needs .*uses "local"/);
  });

  it('refuses batch mode for a rule asking for several images, naming params.n', async () => {
    const { body } = await admin().post('/ai-assets/backfills', { ruleId: 'multi-cover', mode: 'batch', dryRun: true }).expect(400);
    expect(body.error.message).toMatch(/rule "multi-cover": its params\.n must be 1 in mode "batch"/);
  });
});
