'use strict';
/**
 * Bench case: a backfill over 5,000 entries in the real playground Strapi on SQLite (the built plugin in dist/,
 * `npm run build` first). Measures the estimate and the enqueue rate (entries/s) against plain job-store inserts
 * of the same jobs (the floor any enqueue pays), and the Strapi process's peak RSS growth while the backfill
 * pages. The worker is off so only paging, planning and enqueueing are timed.
 */
const { randomBytes } = require('node:crypto');
const { bootPlayground, removeWorkDir } = require('../../tests/integration/support/playground');

const ENTRIES = 5000;
const TARGET_RATE = 500;
const TARGET_RSS_MB = 100;
const UID = 'api::article.article';

const rule = {
  id: 'bench-cover',
  contentType: UID,
  on: [],
  provider: 'local',
  prompt: 'Product shot of "{{title}}". {{summary}}',
  params: { size: '512x512' },
  target: 'cover',
};

async function seed(strapi) {
  const now = new Date();
  for (let start = 0; start < ENTRIES; start += 500) {
    const data = Array.from({ length: Math.min(500, ENTRIES - start) }, (_, offset) => ({
      documentId: randomBytes(12).toString('hex'),
      title: `Bench product ${start + offset}`,
      summary: 'A sturdy kettle for every kitchen.',
      locale: 'en',
      publishedAt: null,
      createdAt: now,
      updatedAt: now,
    }));
    await strapi.db.query(UID).createMany({ data });
  }
}

function rssSampler() {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return (peak - baseline) / 1024 / 1024;
    },
  };
}

async function waitUntil(check, what, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`bench: timed out waiting for ${what}`);
}

module.exports = async function backfillBench() {
  const app = await bootPlayground({
    config: {
      rules: [rule],
      queue: { worker: false },
      backfill: { pageSize: 500, maxQueuedPerBackfill: 100_000, tickMs: 50 },
    },
  });
  const { strapi } = app;
  try {
    await seed(strapi);
    const backfills = strapi.plugin('ai-assets').service('backfills');
    const store = strapi.plugin('ai-assets').service('jobStore');
    const planner = strapi.plugin('ai-assets').service('planner');
    const row = (id) => strapi.db.query('plugin::ai-assets.backfill').findOne({ where: { id } });
    if (global.gc) global.gc();

    const sampler = rssSampler();
    const started = Date.now();
    const created = await backfills.create({ ruleId: rule.id, dryRun: false, via: 'admin' });
    const estimated = await waitUntil(async () => {
      const current = await row(created.id);
      return current.status !== 'estimating' && current;
    }, 'the estimate');
    const estimateMs = Date.now() - started;
    const enqueueStarted = Date.now();
    const done = await waitUntil(async () => {
      const current = await row(created.id);
      return current.pagingDone && current;
    }, 'the backfill to queue every entry');
    const enqueueMs = Date.now() - enqueueStarted;
    const rssGrowthMb = sampler.stop();

    // Floor: what queueing cost per entry without paging and batching (one plan, one insert each).
    const documents = await strapi.db.query(UID).findMany({ select: ['documentId'], where: { publishedAt: { $null: true } }, limit: 1000, orderBy: { id: 'asc' } });
    const ruleConfig = strapi.plugin('ai-assets').service('config').get().rules[0];
    const floorStarted = Date.now();
    for (const { documentId } of documents) {
      const plan = await planner.plan({ rule: ruleConfig, documentId, locale: 'en', trigger: 'manual', ignoreOnlyIfEmpty: true });
      await store.insert({ ...plan.job, inputHash: `${plan.job.inputHash}-floor` });
    }
    const floorRate = documents.length / ((Date.now() - floorStarted) / 1000);

    const estimateRate = ENTRIES / (estimateMs / 1000);
    const enqueueRate = ENTRIES / (enqueueMs / 1000);
    console.log(`\nbackfill over ${ENTRIES} entries (SQLite, worker off)\n`);
    console.log(`${'case'.padEnd(48)} ${'entries/s'.padStart(10)} ${'x floor'.padStart(8)}`);
    console.log(`${'estimate (plan + dedupe check + price)'.padEnd(48)} ${estimateRate.toFixed(0).padStart(10)} ${(estimateRate / floorRate).toFixed(2).padStart(8)}`);
    console.log(`${'enqueue (page + plan + insert + bookkeeping)'.padEnd(48)} ${enqueueRate.toFixed(0).padStart(10)} ${(enqueueRate / floorRate).toFixed(2).padStart(8)}`);
    console.log(`${'floor: one plan + one insert per entry (1,000)'.padEnd(48)} ${floorRate.toFixed(0).padStart(10)} ${'1.00'.padStart(8)}`);
    console.log(`\nqueued ${done.queued}, estimated $${Number(estimated.estimatedUsd).toFixed(2)}, peak RSS growth ${rssGrowthMb.toFixed(1)} MB`);
    const rateMet = enqueueRate >= TARGET_RATE;
    const rssMet = rssGrowthMb <= TARGET_RSS_MB;
    console.log(`Target: enqueue >= ${TARGET_RATE} entries/s -> ${enqueueRate.toFixed(0)} (${rateMet ? 'met' : 'NOT met'}); RSS growth <= ${TARGET_RSS_MB} MB -> ${rssGrowthMb.toFixed(1)} MB (${rssMet ? 'met' : 'NOT met'}).`);
    if (!rateMet || !rssMet || done.queued !== ENTRIES) process.exitCode = 1;
  } finally {
    await app.stop();
    removeWorkDir(app.workDir);
  }
};
