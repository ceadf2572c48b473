/**
 * The job table on the run's database: the declared indexes exist (dedupe key, claim, admin queries), the
 * active-hash key refuses a second active job with the same inputs and frees itself when a job ends, payloads
 * are dropped once a job is done, and retention deletes only jobs that ended before the cut-off.
 */
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, FAST_QUEUE } from './support/configs';

const JOB_UID = 'plugin::ai-assets.job';

describe('job table', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootPlayground({ config: config([], { queue: { ...FAST_QUEUE, worker: false } }) });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  const newJob = (inputHash: string) => ({
    rule: 'r', contentType: 'api::article.article', targetDocumentId: `doc-${inputHash}`, targetLocale: 'en', trigger: 'manual' as const,
    operation: 'generate' as const, provider: 'local', prompt: 'p', params: {}, output: {}, targetField: 'cover', altText: null, caption: null,
    folder: null, sourceFileId: null, maskFileId: null, maskData: 'bWFzaw==', inputHash, review: false, maxAttempts: 3, parentJobId: null, entryTitle: null, createdByUserId: null,
  });
  const store = async () => (await import('../../server/src/queue/job-store')).createJobStore({ strapi: app.strapi });

  it('has the declared indexes, the active-hash one unique', async () => {
    const knex = app.strapi.db.connection;
    const client = app.strapi.db.dialect.client;
    // Each database lists its indexes in its own catalogue.
    const rows: Array<{ name: string; unique: boolean }> =
      client === 'postgres'
        ? (await knex.raw("select indexname as name, indexdef like 'CREATE UNIQUE%' as unique from pg_indexes where tablename = 'ai_assets_jobs'")).rows
        : client === 'mysql'
          ? (await knex.raw("select index_name as name, min(non_unique) = 0 as is_unique from information_schema.statistics where table_schema = database() and table_name = 'ai_assets_jobs' group by index_name"))[0].map((row: { name: string; is_unique: number }) => ({ name: row.name, unique: Boolean(row.is_unique) }))
          : (await knex.raw("select name, sql like 'CREATE UNIQUE%' as \"unique\" from sqlite_master where type = 'index' and tbl_name = 'ai_assets_jobs'")).map((row: { name: string; unique: number }) => ({ name: row.name, unique: Boolean(row.unique) }));
    const byName = new Map(rows.map((row) => [row.name, Boolean(row.unique)]));
    for (const name of ['claim', 'lease', 'lease_owner', 'created_at', 'finished_at', 'target', 'content_type', 'parent', 'result_file']) {
      expect(byName.get(`ai_assets_jobs_${name}_index`)).toBe(false);
    }
    expect(byName.get('ai_assets_jobs_active_hash_unique')).toBe(true);
  });

  it('lets one active job per input hash through, and frees the hash when the job ends', async () => {
    const jobs = await store();
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => jobs.insert(newJob('same-inputs'))));
    expect(results.filter((result) => !result.deduplicated)).toHaveLength(1);
    expect(new Set(results.map((result) => result.job.id)).size).toBe(1);
    const forced = await jobs.insert(newJob('same-inputs'), { force: true });
    expect(forced.deduplicated).toBe(false);
    expect(forced.job.id).not.toBe(results[0].job.id);

    expect(await jobs.transition(results[0].job.id, ['queued'], { status: 'canceled', finishedAt: new Date() })).toBe(true);
    const canceled = await jobs.findById(results[0].job.id);
    expect(canceled?.activeHash).toBeNull();
    expect(canceled?.maskData).toBe('bWFzaw=='); // a canceled job can be retried: its mask stays
    const next = await jobs.insert(newJob('same-inputs'));
    expect(next.deduplicated).toBe(false);
  });

  it('drops payloads when a job succeeds and prunes only jobs that ended before the cut-off', async () => {
    const jobs = await store();
    const { pruneJobs } = await import('../../server/src/queue/retention');
    const old = (await jobs.insert(newJob('old'))).job;
    const recent = (await jobs.insert(newJob('recent'))).job;
    const waiting = (await jobs.insert(newJob('waiting'))).job;
    const longAgo = new Date(Date.now() - 100 * 24 * 3600 * 1000);
    await jobs.transition(old.id, ['queued'], { status: 'succeeded', finishedAt: longAgo, checkpointData: 'aW1hZ2U=' });
    await jobs.transition(recent.id, ['queued'], { status: 'failed', finishedAt: new Date() });
    const succeeded = await jobs.findById(old.id);
    expect([succeeded?.maskData, succeeded?.checkpointData]).toEqual([null, null]);

    expect(await pruneJobs(jobs, { jobsDays: 90 })).toBeGreaterThanOrEqual(1);
    const left = (await app.strapi.db.query(JOB_UID).findMany({ where: { id: { $in: [old.id, recent.id, waiting.id] } } })).map((job: { id: number }) => job.id);
    expect(left.sort()).toEqual([recent.id, waiting.id].sort());
    expect(await pruneJobs(jobs, { jobsDays: 0 })).toBe(0);
  });

  it('fails parked batch jobs of a provider that lost its Batch API one by one, each with its attempt recorded', async () => {
    const jobs = await store();
    const { createBatchStore, PENDING_OWNER } = await import('../../server/src/batch/store');
    const parked = [];
    for (const name of ['parked-a', 'parked-b']) {
      const { job } = await jobs.insert({ ...newJob(name), provider: 'lost-batch' });
      await app.strapi.db.query(JOB_UID).update({ where: { id: job.id }, data: { status: 'running', attempts: 1, startedAt: new Date(), leaseOwner: PENDING_OWNER } });
      parked.push(job.id);
    }
    // A job of the same provider another instance already took into a batch is not touched.
    const taken = (await jobs.insert({ ...newJob('taken'), provider: 'lost-batch' })).job;
    await app.strapi.db.query(JOB_UID).update({ where: { id: taken.id }, data: { status: 'running', attempts: 1, leaseOwner: 'batch:99' } });

    const failed = await createBatchStore({ strapi: app.strapi }).failPending({ provider: 'lost-batch', backfillId: null }, 'batch_unavailable', 'no Batch API any more', (job, now) =>
      jobs.appendAttempt(job, { attempt: job.attempts, startedAt: new Date(job.startedAt ?? now).toISOString(), finishedAt: now.toISOString(), outcome: 'failed', errorCode: 'batch_unavailable', errorMessage: 'no Batch API any more', retryable: false })
    );
    expect(failed.sort()).toEqual(parked.sort());
    for (const id of parked) {
      const job = await jobs.findById(id);
      expect(job).toMatchObject({ status: 'failed', errorCode: 'batch_unavailable', leaseOwner: null, activeHash: null });
      expect(job?.attemptLog).toEqual([expect.objectContaining({ attempt: 1, outcome: 'failed', errorCode: 'batch_unavailable' })]);
    }
    expect(await jobs.findById(taken.id)).toMatchObject({ status: 'running', leaseOwner: 'batch:99' });
  });
});
