/**
 * Three Strapi processes on one database share one provider limit of 60 requests/min against a fake OpenAI
 * that enforces 60/min and answers after 2 s: together they use at least 0.95 of the limit, cause no 429
 * themselves and burn no attempt while jobs wait. Bounded to a little more than one minute of traffic.
 */
import { FakeOpenAI } from '../fakes/fake-openai';
import { createArticleOver, multiInstanceDescribe, startCluster, type Cluster } from './support/instances';
import { waitFor } from './support/wait';

const API_KEY = 'sk-proj-shared-limit-KEY-5e1b7a9d3c';
const LIMIT = 60;
const JOBS = 80;

multiInstanceDescribe('a provider limit shared by three instances', () => {
  let fake: FakeOpenAI;
  let cluster: Cluster | undefined;
  afterAll(async () => {
    await cluster?.close();
    await fake?.stop();
  });

  it(`holds ${LIMIT}/min across the instances at >= 0.95 of it, with no 429 of its own and no attempt burned`, async () => {
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
    fake.enforceRateLimit(LIMIT).delayMs = 2000;
    cluster = await startCluster({
      count: 3,
      config: {
        providers: { studio: { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 20_000, limits: { requestsPerMinute: LIMIT } } },
        defaultProvider: 'studio',
        rules: [
          {
            id: 'shared-cover',
            contentType: 'api::article.article',
            on: ['create'],
            provider: 'studio',
            prompt: 'Editorial illustration for "{{title}}"',
            params: { size: '1024x1024', quality: 'low' },
            output: { format: 'webp', width: 32, height: 32 },
            target: 'cover',
          },
        ],
        queue: { concurrency: 8, maxAttempts: 2, leaseMs: 10_000, pollIntervalMs: 200, backoffBaseMs: 500, maxBackoffMs: 5000 },
      },
      bootTimeoutMs: 120_000,
    });
    const { instances, db } = cluster;
    // Editors on all three instances at once.
    await Promise.all(
      instances.map(async (instance, which) => {
        for (let index = which; index < JOBS; index += instances.length) await createArticleOver(instance, { title: `Shared ${index}` });
      })
    );

    // Until the first call of the second minute went out (and a few after it).
    // Meanwhile, count the jobs seen put back to wait for a slot (attempt given back, reason shown).
    const seenWaiting = new Set<number>();
    await waitFor(
      async () => {
        const waiting = (await db('ai_assets_jobs').where({ status: 'queued', attempts: 0, error_code: 'waiting_for_limit' }).select('id')) as Array<{ id: number }>;
        for (const { id } of waiting) seenWaiting.add(Number(id));
        return fake.requestsTo('/images/generations').length >= LIMIT + 5;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: `${LIMIT + 5} requests at the fake` }
    );
    const sent = fake.requestsTo('/images/generations').map((request) => request.receivedAt);
    const jobs = (await db('ai_assets_jobs').select('status', 'attempts', 'error_code as errorCode')) as Array<{ status: string; attempts: number; errorCode: string | null }>;

    // Self-caused 429s: none.
    expect(fake.limitRefusals).toHaveLength(0);
    // Throughput: the provider allows LIMIT calls in any minute; call LIMIT+1 can go out no sooner than one minute
    // after call 1. How close we come is the share of the limit used.
    const share = 60_000 / (sent[LIMIT] - sent[0]);
    // No attempt burned while waiting: every job ran at most once, and a job never sent is back at 0 attempts.
    expect(jobs).toHaveLength(JOBS);
    expect(jobs.filter((job) => job.status === 'failed')).toEqual([]);
    expect(Math.max(...jobs.map((job) => Number(job.attempts)))).toBeLessThanOrEqual(1);
    const sentOrRunning = jobs.filter((job) => Number(job.attempts) === 1).length;
    expect(sentOrRunning).toBeGreaterThanOrEqual(LIMIT + 5);
    expect(sentOrRunning).toBeLessThanOrEqual(sent.length + 3 * 8);
    console.log(
      `shared limit: ${sent.length} requests, share of the limit ${share.toFixed(3)}, 429s ${fake.limitRefusals.length}; ` +
        `call ${LIMIT} at +${sent[LIMIT - 1] - sent[0]} ms, call ${LIMIT + 1} at +${sent[LIMIT] - sent[0]} ms, calls 2-4 at ${sent.slice(1, 4).map((at) => `+${at - sent[0]}`).join(' ')} ms`
    );
    // Some jobs were put back to wait for the next slot, showing why.
    expect(seenWaiting.size).toBeGreaterThan(0);
    // The best possible share is 60/62 = 0.968: when call 60 is answered, its x-ratelimit headers say the window
    // is exhausted and resets in R, counted (conservatively) from the answer, which came 2 s after the fake
    // computed R. What is lost below that is event-loop lag (CI on its own: 0.963-0.966).
    expect(share).toBeGreaterThanOrEqual(0.95);
    expect(share).toBeLessThanOrEqual(1);
  }, 300_000);
});
