'use strict';
/** Times `runs` calls of `work` after one warm-up call; returns ms per call and the RSS growth. */
async function measure(label, runs, work) {
  await work(0); // warm-up: first sharp call loads libvips
  const rssBefore = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  for (let index = 1; index <= runs; index += 1) await work(index);
  const ms = Number(process.hrtime.bigint() - started) / 1e6 / runs;
  return { label, ms, rssDeltaMb: (process.memoryUsage().rss - rssBefore) / 1024 / 1024 };
}

module.exports = { measure };
