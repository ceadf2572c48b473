/**
 * Batch mode on two Strapi processes sharing one PostgreSQL database (skipped on SQLite): both group, send and
 * poll at once, yet every job is in exactly one uploaded file and every batch's results are read once.
 */
import { FakeOpenAI } from '../fakes/fake-openai';
import { createArticleOver, multiInstanceDescribe, startCluster, type Cluster } from './support/instances';
import { waitFor } from './support/wait';

const API_KEY = 'sk-proj-batch-cluster-KEY-1a2b3c4d';
const JOBS = 20;

const rule = {
  id: 'batch-cover',
  contentType: 'api::article.article',
  on: [],
  provider: 'openai',
  mode: 'batch',
  prompt: 'Catalog shot of "{{title}}"',
  params: { size: '1024x1024', quality: 'low' },
  output: { format: 'webp', quality: 60, width: 64, height: 64, fit: 'cover' },
  target: 'cover',
  folder: 'AI Assets/Batch cluster',
};

multiInstanceDescribe('batch mode on two instances', () => {
  let fake: FakeOpenAI;
  let cluster: Cluster;

  beforeAll(async () => {
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
    fake.batchApi.timing = { validatingMs: 50, inProgressMs: 300 };
    cluster = await startCluster({
      count: 2,
      config: {
        providers: { openai: { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 10_000 } },
        rules: [rule],
        queue: { concurrency: 2, maxAttempts: 3, leaseMs: 5000, pollIntervalMs: 100, backoffBaseMs: 200, maxBackoffMs: 2000 },
        backfill: { pageSize: 5, maxQueuedPerBackfill: 50, tickMs: 100, stepLeaseMs: 5000 },
        // Small groups sent quickly: both instances race for the same parked jobs and the same batches.
        batch: { pollIntervalMs: 100, collectMs: 200, maxJobsPerBatch: 4, leaseMs: 5000 },
      },
    });
  }, 180_000);
  afterAll(async () => {
    await cluster?.close();
    await fake?.stop();
  });

  it('puts every job of a rule in batch mode in exactly one batch and reads each batch once', async () => {
    const [first, second] = cluster.instances;
    for (let index = 0; index < JOBS; index += 1) await createArticleOver(index % 2 ? second : first, { title: `Cluster lamp ${index}`, summary: 'Batch.' });
    const created = await first.call('POST', '/ai-assets/backfills', { ruleId: rule.id, filters: { title: { $startsWith: 'Cluster lamp' } } });
    expect(created.status).toBe(202);
    const done = await waitFor(async () => {
      const view = (await second.call('GET', `/ai-assets/backfills/${created.body.data.id}`)).body.data;
      return view?.status === 'done' ? view : null;
    }, { timeoutMs: 120_000, what: 'the batch backfill to finish on two instances' });
    expect(done.progress).toMatchObject({ succeeded: JOBS, failed: 0 });

    // Every job in exactly one uploaded file.
    const customIds = [...fake.batchApi.files.values()]
      .filter((file) => file.purpose === 'batch')
      .flatMap((file) => file.bytes.toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line).custom_id as string));
    expect(customIds).toHaveLength(JOBS);
    expect(new Set(customIds).size).toBe(JOBS);
    expect(fake.batchApi.batches.size).toBeGreaterThanOrEqual(JOBS / 4);

    // Each batch's output read once (one poller per batch), and each job paid once.
    for (const batch of fake.batchApi.batches.values()) {
      expect(fake.requestsTo(`/v1/files/${batch.outputFileId}/content`)).toHaveLength(1);
    }
    const jobs = await cluster.db('ai_assets_jobs').where({ rule: rule.id }).select('id', 'status', 'cost_usd', 'attempt_log', 'mode');
    expect(jobs).toHaveLength(JOBS);
    for (const job of jobs) {
      expect(job).toMatchObject({ status: 'succeeded', mode: 'batch' });
      expect(Number(job.cost_usd)).toBeCloseTo(0.003, 6);
      const log = typeof job.attempt_log === 'string' ? JSON.parse(job.attempt_log) : job.attempt_log;
      expect(log.filter((entry: { outcome: string }) => entry.outcome === 'succeeded')).toHaveLength(1);
    }
    const rows = await cluster.db('ai_assets_batches').select('state', 'remote_id');
    expect(rows.filter((row) => row.state === 'ended')).toHaveLength(fake.batchApi.batches.size);
    expect(fake.requestsTo('/v1/images/generations').filter((call) => !call.headers['x-fake-batch-line'])).toHaveLength(0);
  }, 200_000);
});
