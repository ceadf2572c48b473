'use strict';
/**
 * Bench case: the job queue on the playground's real database (SQLite; TEST_DATABASE=postgres for PostgreSQL).
 * Side by side in one run: the raw insert rate into the job table (one plain INSERT per row, the floor any
 * queue pays), the enqueue rate (insert through the store, with the dedupe key) and the no-op drain rate (the
 * real worker claiming and finishing queued jobs that do nothing). Also counts the queue's own SQL statements
 * per job through knex query events. Target: no-op drain rate >= 0.25 x raw insert rate.
 */
const { bootPlayground, removeWorkDir } = require('../../tests/integration/support/playground.ts');
const { createWorker } = require('../../server/src/queue/worker');
const { createJobStore } = require('../../server/src/queue/job-store');

const JOBS = 300;
const TARGET = 0.25;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function newJob(index, run) {
  return {
    rule: 'bench', contentType: 'api::article.article', targetDocumentId: `doc-${run}-${index}`, targetLocale: 'en', trigger: 'manual',
    operation: 'generate', provider: 'local', prompt: `bench ${index}`, params: {}, output: {}, targetField: 'cover', altText: null, caption: null,
    folder: null, sourceFileId: null, maskFileId: null, maskData: null, inputHash: `bench-${run}-${index}`, review: false, maxAttempts: 3, parentJobId: null, entryTitle: null, createdByUserId: null,
  };
}

module.exports = async function queueBench() {
  const app = await bootPlayground({ config: { rules: [], queue: { worker: false } } });
  const { strapi } = app;
  try {
    const store = createJobStore({ strapi });
    const knex = strapi.db.connection;
    const table = strapi.db.metadata.get('plugin::ai-assets.job').tableName;
    let statements = 0;
    knex.on('query', () => {
      statements += 1;
    });

    // Raw floor: one INSERT per row, nothing else.
    let started = process.hrtime.bigint();
    for (let index = 0; index < JOBS; index += 1) {
      const job = newJob(index, 'raw');
      await knex(table).insert({ rule: job.rule, content_type: job.contentType, target_document_id: job.targetDocumentId, provider: job.provider, prompt: job.prompt, target_field: job.targetField, input_hash: job.inputHash, status: 'canceled', attempts: 0, max_attempts: 3, review: false });
    }
    const rawSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    // The queue: enqueue through the store (dedupe key), then drain with the real worker and a job that does nothing.
    statements = 0;
    started = process.hrtime.bigint();
    for (let index = 0; index < JOBS; index += 1) await store.insert(newJob(index, 'queue'));
    const enqueueSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const enqueueStatements = statements;
    started = process.hrtime.bigint();
    let finished = 0;
    let allDone;
    const done = new Promise((resolve) => (allDone = resolve));
    const execute = async (job, leaseToken) => {
      await store.updateHeld(job.id, leaseToken, { status: 'succeeded', finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null });
      finished += 1;
      if (finished === JOBS) allDone();
    };
    const worker = createWorker({ store, config: { concurrency: 4, maxAttempts: 3, leaseMs: 30_000, pollIntervalMs: 50, backoffBaseMs: 1000, maxBackoffMs: 1000, worker: true }, execute, log: quiet });
    worker.start();
    await done;
    await worker.stop();
    const drainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const perJob = statements / JOBS;

    const rawRate = JOBS / rawSeconds;
    const enqueueRate = JOBS / enqueueSeconds;
    const drainRate = JOBS / drainSeconds;
    const ratio = drainRate / rawRate;
    const client = strapi.db.dialect.client;
    console.log(`\nai-assets queue bench (${client}, ${JOBS} jobs)\n`);
    console.log(`${'case'.padEnd(52)} ${'jobs/s'.padStart(9)} ${'x raw'.padStart(7)}`);
    console.log(`${'raw INSERT into the job table (floor)'.padEnd(52)} ${rawRate.toFixed(0).padStart(9)} ${'1.00'.padStart(7)}`);
    console.log(`${'enqueue through the store (dedupe key)'.padEnd(52)} ${enqueueRate.toFixed(0).padStart(9)} ${(enqueueRate / rawRate).toFixed(2).padStart(7)}`);
    console.log(`${'no-op drain: worker claims + finishes (concurrency 4)'.padEnd(52)} ${drainRate.toFixed(0).padStart(9)} ${ratio.toFixed(2).padStart(7)}`);
    console.log(`\nQueue SQL statements per job: ${perJob.toFixed(2)} (enqueue ${(enqueueStatements / JOBS).toFixed(2)}, claim + finish + polling ${((statements - enqueueStatements) / JOBS).toFixed(2)})`);
    const verdict = ratio >= TARGET ? 'met' : 'NOT met';
    console.log(`Target: no-op drain rate >= ${TARGET} x raw insert rate -> ${ratio.toFixed(2)} (${verdict}).`);
    if (ratio < TARGET) process.exitCode = 1;
  } finally {
    await app.stop();
    removeWorkDir(app.workDir);
  }
};
