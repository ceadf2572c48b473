/**
 * Backfills in the real playground against the fake OpenAI server: a filtered backfill over 60 entries queues
 * exactly the matching ones and survives a restart mid-run; the estimate is within 10% of the cost the jobs
 * record; pause / resume / cancel; a budget holds jobs back (overshoot <= running jobs, reason shown); the
 * content API answers API tokens only; bad filters are refused naming the path.
 */
import request from 'supertest';
import { FakeOpenAI } from '../fakes/fake-openai';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { FAST_QUEUE } from './support/configs';
import { allJobs, createArticle } from './support/jobs';
import { api, createSuperAdmin, login } from './support/admin';
import { waitFor } from './support/wait';
import { backfillReader, jobsOfBackfill, type BackfillView } from './support/backfills';

const API_KEY = 'sk-proj-backfill-KEY-0a1b2c3d4e';
const PRICE = 0.006; // gpt-image-2, 1024x1024, low quality

const rule = (id: string) => ({
  id,
  contentType: 'api::article.article',
  on: [],
  provider: 'openai',
  prompt: 'Product shot of "{{title}}"',
  params: { size: '1024x1024', quality: 'low' },
  output: { format: 'webp', quality: 60, width: 64, height: 64, fit: 'cover' },
  target: 'cover',
  folder: 'AI Assets/Backfill',
});

describe('backfills in a real Strapi', () => {
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

  beforeAll(async () => {
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
    config = {
      providers: { openai: { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 5000 } },
      rules: [rule('bulk-cover'), rule('budget-cover')],
      queue: { ...FAST_QUEUE, concurrency: 2 },
      budgets: [{ rule: 'budget-cover', dailyUsd: 0.05 }],
      backfill: { pageSize: 5, maxQueuedPerBackfill: 6, tickMs: 100, stepLeaseMs: 5000 },
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

  it('estimates a filtered backfill over 60 entries, queues exactly the matching ones, survives a restart and costs what it estimated', async () => {
    const kettles: string[] = [];
    for (let index = 0; index < 60; index += 1) {
      const article = await createArticle(app.strapi, { title: `${index % 3 === 0 ? 'Toaster' : 'Kettle'} ${index}` });
      if (index % 3 !== 0) kettles.push(article.documentId);
    }
    // Three kettles already have a cover: onlyIfEmpty skips them.
    const manual = [];
    for (const documentId of kettles.slice(0, 3)) {
      manual.push((await admin().post('/ai-assets/rules/bulk-cover/run', { documentId, locale: 'en' }).expect(202)).body.data.jobId as number);
    }
    await waitFor(async () => (await allJobs(app.strapi)).filter((job) => manual.includes(job.id) && job.status === 'succeeded').length === 3, { what: 'manual runs' });

    const estimate = (await admin().post('/ai-assets/backfills', { ruleId: 'bulk-cover', filters: { title: { $startsWith: 'Kettle' } }, dryRun: true }).expect(200)).body.data;
    const ready = estimate.status === 'ready' ? estimate : await waitForBackfill(estimate.id, (view) => view.status === 'ready', 'the estimate');
    expect(ready).toMatchObject({ matched: 40, toQueue: 37, skipped: { duplicate: 0, hasImage: 3, other: 0 }, unpricedJobs: 0 });
    expect(ready).toMatchObject({ createdVia: 'admin', createdByName: 'Super Admin', createdByUserId: expect.any(Number) });
    expect(ready.estimatedUsd).toBeCloseTo(37 * PRICE, 6);
    expect(await jobsOf(app.strapi, ready.id)).toHaveLength(0); // a dry run pays nothing

    await admin().post(`/ai-assets/backfills/${ready.id}/start`).expect(200);
    await waitForBackfill(ready.id, (view) => view.progress.processed >= 10 && view.progress.succeeded >= 2, 'some progress before the restart');
    const { workDir } = app;
    await app.stop();
    await boot(workDir);
    const afterRestart = await backfill(ready.id);
    expect(afterRestart.status).toBe('running');
    expect(afterRestart.progress.processed).toBeLessThan(40);

    const done = await waitForBackfill(ready.id, (view) => view.status === 'done', 'the backfill to finish after the restart', 90_000);
    expect(done.progress).toMatchObject({ processed: 40, queued: 37, skippedHasImage: 3, skippedDuplicate: 0, succeeded: 37, failed: 0, waiting: 0, running: 0, percent: 100 });
    const jobs = await jobsOf(app.strapi, ready.id);
    expect(jobs).toHaveLength(37);
    expect(new Set(jobs.map((job) => job.targetDocumentId))).toEqual(new Set(kettles.slice(3)));
    expect(jobs.every((job) => job.trigger === 'backfill' && job.status === 'succeeded')).toBe(true);
    const recorded = jobs.reduce((sum, job) => sum + Number(job.costUsd), 0);
    expect(Math.abs(done.estimatedUsd - recorded) / recorded).toBeLessThanOrEqual(0.1);
    expect(done.spentUsd).toBeCloseTo(recorded, 6);

    // The same backfill again with onlyIfEmpty off: every kettle already has these exact inputs done.
    const again = (await admin().post('/ai-assets/backfills', { ruleId: 'bulk-cover', filters: { title: { $startsWith: 'Kettle' } }, onlyIfEmpty: false, dryRun: true }).expect(200)).body.data;
    const againReady = again.status === 'ready' ? again : await waitForBackfill(again.id, (view) => view.status === 'ready', 'the second estimate');
    expect(againReady).toMatchObject({ matched: 40, toQueue: 0, skipped: { duplicate: 40, hasImage: 0 }, estimatedUsd: 0 });
  }, 240_000);

  it('answers a manual dry run with the estimated cost', async () => {
    const article = await createArticle(app.strapi, { title: 'Teapot' });
    const { body } = await admin().post('/ai-assets/rules/bulk-cover/run', { documentId: article.documentId, locale: 'en', dryRun: true }).expect(200);
    expect(body.data).toMatchObject({ dryRun: true, duplicateOf: null });
    expect(body.data.estimatedUsd).toBeCloseTo(PRICE, 6);
  });

  it('pauses (queued jobs held with a reason), resumes to the end, and cancels with its queued jobs', async () => {
    for (let index = 0; index < 20; index += 1) await createArticle(app.strapi, { title: `Grinder ${index}` });
    const created = (await admin().post('/ai-assets/backfills', { ruleId: 'bulk-cover', filters: { title: { $startsWith: 'Grinder' } } }).expect(202)).body.data;
    await waitForBackfill(created.id, (view) => view.status === 'running' && view.progress.queued >= 6, 'queued jobs');
    const paused = (await admin().post(`/ai-assets/backfills/${created.id}/pause`).expect(200)).body.data;
    expect(paused.status).toBe('paused');
    await admin().post(`/ai-assets/backfills/${created.id}/pause`).expect(409);
    const held = await waitFor(async () => {
      const jobs = await jobsOf(app.strapi, created.id);
      return jobs.some((job) => job.status === 'running') ? null : jobs;
    }, { what: 'running jobs to finish while paused' });
    const queued = held.filter((job) => job.status === 'queued');
    expect(queued.length).toBeGreaterThan(0);
    for (const job of queued) {
      expect(job.waitReason).toBe('Its backfill is paused.');
      expect(new Date(job.runAt).getUTCFullYear()).toBeGreaterThan(3000);
    }
    const jobView = (await admin().get(`/ai-assets/jobs/${queued[0].id}`).expect(200)).body.data;
    expect(jobView.waitReason).toBe('Its backfill is paused.');

    await admin().post(`/ai-assets/backfills/${created.id}/resume`).expect(200);
    const done = await waitForBackfill(created.id, (view) => view.status === 'done', 'the resumed backfill to finish');
    expect(done.progress).toMatchObject({ queued: 20, succeeded: 20, percent: 100 });

    for (let index = 0; index < 30; index += 1) await createArticle(app.strapi, { title: `Mug ${index}` });
    const second = (await admin().post('/ai-assets/backfills', { ruleId: 'bulk-cover', filters: { title: { $startsWith: 'Mug' } } }).expect(202)).body.data;
    await waitForBackfill(second.id, (view) => view.progress.queued >= 3, 'mug jobs queued');
    const canceled = (await admin().post(`/ai-assets/backfills/${second.id}/cancel`).expect(200)).body.data;
    expect(canceled.status).toBe('canceled');
    const settled = await waitFor(async () => {
      const jobs = await jobsOf(app.strapi, second.id);
      return jobs.some((job) => job.status === 'queued' || job.status === 'running') ? null : jobs;
    }, { what: 'the canceled backfill to have no queued or running job' });
    expect(settled.filter((job) => job.status === 'canceled').length).toBeGreaterThan(0);
    const final = await backfill(second.id);
    expect(final.status).toBe('canceled');
    expect(final.progress.processed).toBeLessThan(30);
    expect(settled.length).toBe(final.progress.queued);
  }, 180_000);

  it('holds jobs back at the budget: overshoot at most the running jobs, the reason shown, no attempt burned', async () => {
    for (let index = 0; index < 15; index += 1) await createArticle(app.strapi, { title: `Lamp ${index}` });
    const created = (await admin().post('/ai-assets/backfills', { ruleId: 'budget-cover', filters: { title: { $startsWith: 'Lamp' } } }).expect(202)).body.data;
    const view = await waitForBackfill(
      created.id,
      (current) => current.progress.running === 0 && current.progress.waiting > 0 && current.progress.succeeded >= 8 && current.waitReason !== null,
      'the budget to hold the remaining jobs'
    );
    // Jobs the backfill queued in its last page may not have met the worker yet (no reason until a worker looks).
    const jobs = await waitFor(async () => {
      const current = await jobsOf(app.strapi, created.id);
      const queued = current.filter((job) => job.status === 'queued');
      return queued.length > 0 && queued.every((job) => job.waitReason) && !current.some((job) => job.status === 'running') ? current : null;
    }, { what: 'every held job to carry its reason' });
    const spent = jobs.reduce((sum, job) => sum + Number(job.costUsd ?? 0), 0);
    expect(spent).toBeLessThanOrEqual(0.05 + 2 * PRICE + 1e-9); // concurrency 2
    expect(jobs.filter((job) => job.status === 'succeeded').length).toBeGreaterThanOrEqual(8);
    expect(jobs.some((job) => job.status === 'failed')).toBe(false);
    const waiting = jobs.filter((job) => job.status === 'queued');
    expect(waiting.length).toBeGreaterThan(0);
    for (const job of waiting) {
      expect(job.waitReason).toMatch(/^daily budget of \$0\.05 for rule budget-cover (reached; resumes on [A-Z][a-z]{2} \d{1,2}|is committed to running jobs)/);
      expect(job.attempts).toBe(0);
      expect(job.costUsd).toBeNull();
    }
    expect(view.waitReason).toMatch(/daily budget of \$0\.05 for rule budget-cover/);
    expect(view.budgets).toEqual([expect.objectContaining({ window: 'daily', capUsd: 0.05, label: 'rule budget-cover' })]);
    const { body } = await admin().get('/ai-assets/budgets').expect(200);
    expect(body.data[0].spentUsd).toBeCloseTo(spent, 6);
  }, 120_000);

  it('serves the content API to API tokens only and refuses bad input naming the field', async () => {
    const server = app.strapi.server.httpServer;
    await request(server).post('/api/ai-assets/backfills').send({ ruleId: 'bulk-cover', dryRun: true }).expect(401);
    const { accessKey } = await app.strapi.service('admin::api-token').create({ name: 'backfill-bot', type: 'full-access', lifespan: null, description: '' });
    const response = await request(server)
      .post('/api/ai-assets/backfills')
      .set('Authorization', `Bearer ${accessKey}`)
      .send({ ruleId: 'bulk-cover', filters: { title: { $startsWith: 'Toaster' } }, dryRun: true })
      .expect(200);
    expect(response.body.data).toMatchObject({ status: expect.stringMatching(/estimating|ready/), toQueue: expect.any(Number) });
    const fetched = await request(server).get(`/api/ai-assets/backfills/${response.body.data.id}`).set('Authorization', `Bearer ${accessKey}`).expect(200);
    expect(fetched.body.data).toMatchObject({ createdVia: 'api', createdByName: 'API token "backfill-bot"', createdByUserId: null });

    const privateField = await admin().post('/ai-assets/backfills', { ruleId: 'bulk-cover', filters: { createdBy: { password: { $startsWith: '$' } } }, dryRun: true }).expect(400);
    expect(privateField.body.error.message).toMatch(/filters\.createdBy(\.password)?: .*cannot be filtered on/);
    const unknown = await admin().post('/ai-assets/backfills', { ruleId: 'bulk-cover', filters: { colour: 'red' }, dryRun: true }).expect(400);
    expect(unknown.body.error.message).toMatch(/filters\.colour: "colour" is not a field/);
    await admin().post('/ai-assets/backfills', { ruleId: 'no-such-rule', dryRun: true }).expect(404);
  });
});
