/**
 * Provider limits in a real Strapi against the fake OpenAI server: a job that must wait for a rate limit
 * or a provider's pause is put back (no attempt burned, the wait shown on the job), and running at exactly
 * the provider's own limit causes no 429. The fake enforces its limit per minute, so the rate case takes
 * about one minute.
 */
import { FakeOpenAI } from '../fakes/fake-openai';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { FAST_QUEUE } from './support/configs';
import { allJobs, createArticle, type JobRow } from './support/jobs';
import { waitFor } from './support/wait';

const API_KEY = 'sk-proj-limits-KEY-0c4d2e8f1a';

const rule = {
  id: 'limited-cover',
  contentType: 'api::article.article',
  on: ['publish'],
  provider: 'studio',
  prompt: 'Editorial illustration for "{{title}}"',
  params: { size: '1024x1024', quality: 'low' },
  output: { format: 'webp', width: 64, height: 64 },
  target: 'cover',
};

async function publishArticles(app: TestApp, count: number, prefix: string): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const article = await createArticle(app.strapi, { title: `${prefix} ${index}` });
    await app.strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
  }
}

/** Polls the jobs until all `count` are final, remembering every waiting job seen on the way. */
async function watchUntilDone(app: TestApp, count: number, timeoutMs: number) {
  const waiting = new Map<number, JobRow>();
  const jobs = await waitFor(
    async () => {
      const rows = await allJobs(app.strapi);
      for (const job of rows) if (job.status === 'queued' && job.errorCode === 'waiting_for_limit') waiting.set(job.id, job);
      return rows.length === count && rows.every((job) => ['succeeded', 'failed'].includes(job.status)) ? rows : null;
    },
    { timeoutMs, intervalMs: 50, what: `${count} jobs to finish` }
  );
  return { jobs, waiting: [...waiting.values()] };
}

async function boot(fake: FakeOpenAI, limits: Record<string, number> | undefined): Promise<TestApp> {
  return bootPlayground({
    config: {
      providers: { studio: { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 10_000, ...(limits ? { limits } : {}) } },
      defaultProvider: 'studio',
      rules: [rule],
      queue: { ...FAST_QUEUE, concurrency: 2, maxAttempts: 2 },
    },
  });
}

describe('provider limits in a real Strapi', () => {
  let app: TestApp | undefined;
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
  });
  afterEach(async () => {
    await app?.stop();
    await fake.stop();
    if (app) removeWorkDir(app.workDir);
    app = undefined;
  });

  it("runs at exactly the provider's limit without a 429 and burns no attempt while jobs wait for the next slot", async () => {
    fake.enforceRateLimit(3).delayMs = 300;
    app = await boot(fake, { requestsPerMinute: 3 });
    await publishArticles(app, 5, 'Paced');
    const { jobs, waiting } = await watchUntilDone(app, 5, 100_000);

    expect(jobs.map((job) => job.status)).toEqual(Array(5).fill('succeeded'));
    expect(jobs.map((job) => job.attempts)).toEqual(Array(5).fill(1));
    expect(fake.limitRefusals).toHaveLength(0);
    expect(fake.requestsTo('/images/generations')).toHaveLength(5);
    // The jobs over the limit waited visibly, as queued with their attempt given back.
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    for (const job of waiting) {
      expect(job.attempts).toBe(0);
      expect(job.errorMessage).toMatch(/^waiting for studio's rate limit \(3\/min\); next slot at \d\d:\d\d:\d\d UTC$/);
    }
    // The 4th request went out only once the 1st had left the provider's window.
    const sent = fake.requestsTo('/images/generations').map((request) => request.receivedAt);
    expect(sent[3] - sent[0]).toBeGreaterThanOrEqual(60_000);
    // A succeeded job no longer shows the wait.
    expect(jobs.every((job) => job.errorCode === null)).toBe(true);
  }, 150_000);

  it("shares a provider's retry-after pause: waiting jobs are put back, only the refused call counts an attempt", async () => {
    fake.delayMs = 100;
    app = await boot(fake, undefined);
    fake.inject({ name: "rate_limit", retryAfterSeconds: 5 });
    await publishArticles(app, 4, 'Paused');
    const { jobs, waiting } = await watchUntilDone(app, 4, 30_000);

    expect(jobs.map((job) => job.status)).toEqual(Array(4).fill('succeeded'));
    // One real 429 (injected): one job paid one extra attempt; the others waited for free.
    expect(jobs.map((job) => job.attempts).sort()).toEqual([1, 1, 1, 2]);
    expect(waiting.length).toBeGreaterThanOrEqual(1);
    for (const job of waiting) {
      expect(job.attempts).toBe(0);
      expect(job.errorMessage).toMatch(/^waiting: studio asked to pause after a rate limit; resuming at \d\d:\d\d:\d\d UTC$/);
    }
    const requests = fake.requestsTo('/images/generations');
    const [refused] = requests;
    // A call may have been sent while the 429 was on its way back (concurrency 2: at most one). Once the answer
    // is in and the pause recorded (allow 1 s on a loaded machine), nothing goes out until the 5 s are over.
    const pauseKnownAt = (refused.completedAt as number) + 1000;
    expect(requests.filter((request) => request !== refused && request.receivedAt <= pauseKnownAt).length).toBeLessThanOrEqual(1);
    expect(requests.filter((request) => request.receivedAt > pauseKnownAt && request.receivedAt < refused.receivedAt + 5000)).toHaveLength(0);
    expect(requests).toHaveLength(5);
  }, 150_000);
});
