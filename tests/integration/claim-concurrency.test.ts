/**
 * Two workers on one database never hold the same job: the claim is a compare-and-set on the row.
 * Runs the real job store on the playground's SQLite with the plugin's own worker turned off.
 */
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, coverRule, FAST_QUEUE } from './support/configs';
import { waitFor } from './support/wait';

describe('job claiming under contention', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await bootPlayground({ config: config([coverRule], { queue: { ...FAST_QUEUE, worker: false } }) });
  });
  afterAll(async () => {
    await app?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it('runs each of 40 jobs exactly once across three competing workers', async () => {
    const { createWorker } = await import('../../server/src/queue/worker');
    const { createJobStore } = await import('../../server/src/queue/job-store');
    const store = createJobStore({ strapi: app.strapi });
    for (let index = 0; index < 40; index += 1) {
      await store.insert({
        rule: 'article-cover', contentType: 'api::article.article', targetDocumentId: `doc-${index}`, targetLocale: 'en', trigger: 'manual',
        operation: 'generate', provider: 'local', prompt: `job ${index}`, params: {}, output: {}, targetField: 'cover', altText: null, caption: null,
        folder: null, sourceFileId: null, maskData: null, inputHash: `hash-${index}`, review: false, maxAttempts: 3, parentJobId: null, entryTitle: null, createdByUserId: null,
      });
    }

    const executions: number[] = [];
    const execute = async (job: { id: number }, leaseToken: string) => {
      executions.push(job.id);
      await new Promise((resolve) => setImmediate(resolve));
      await store.updateHeld(job.id, leaseToken, { status: 'succeeded', leaseOwner: null, leaseExpiresAt: null });
    };
    const log = { info() {}, warn() {}, error() {}, debug() {} };
    const workers = [1, 2, 3].map(() => createWorker({ store, config: { ...FAST_QUEUE, concurrency: 4, pollIntervalMs: 20, worker: true }, execute, log }));
    workers.forEach((worker) => worker.start());
    try {
      await waitFor(async () => (await store.count({ status: 'succeeded' })) === 40, { what: 'all 40 jobs to succeed' });
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    expect(executions).toHaveLength(40);
    expect(new Set(executions).size).toBe(40);
  });
});
