'use strict';
/**
 * Bench case: what the plugin adds to `publish()`. Boots the playground (SQLite, worker off so no generation
 * competes for the CPU) and runs 200 publishes of fresh article drafts, alternating between "a rule matches"
 * (the demo's cover rule) and "no rule" (the same config with its rules emptied until that publish's event has
 * been handled), so both sides publish the same kind of entry under the same machine load, with the rule
 * side's enqueue work running in the background as it does in production. Prints the medians, their ratio, the p95
 * difference and the SQL statements issued while each publish() was running.
 * Targets: median ratio <= 1.05, p95 added <= 5 ms.
 */
const { bootPlayground, removeWorkDir } = require('../../tests/integration/support/playground');
const { config, coverRule } = require('../../tests/integration/support/configs');

const PUBLISHES = 200;

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

module.exports = async function publishBench() {
  const app = await bootPlayground({ config: config([coverRule], { queue: { worker: false } }) });
  const { strapi } = app;
  try {
    const documents = strapi.documents('api::article.article');
    const pluginConfig = strapi.plugin('ai-assets').service('config').get();
    const rules = pluginConfig.rules;
    // Registered after the plugin's listener, so it runs once the plugin has seen the event.
    let eventHandled = null;
    strapi.eventHub.on('entry.publish', async () => eventHandled?.());
    let statements = 0;
    strapi.db.connection.on('query', () => (statements += 1));

    const samples = { rule: [], none: [] };
    const statementCounts = { rule: [], none: [] };
    for (let index = 0; index < PUBLISHES + 20; index += 1) {
      const side = index % 2 === 0 ? 'rule' : 'none';
      const draft = await documents.create({ data: { title: `Bench article ${index}`, summary: 'Publishing speed.' }, locale: 'en' });
      pluginConfig.rules = side === 'rule' ? rules : [];
      const handled = new Promise((resolve) => (eventHandled = resolve));
      const before = statements;
      const started = process.hrtime.bigint();
      await documents.publish({ documentId: draft.documentId, locale: 'en' });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      await handled;
      pluginConfig.rules = rules;
      if (index < 20) continue; // warm-up
      samples[side].push(ms);
      statementCounts[side].push(statements - before);
    }
    const queued = await strapi.db.query('plugin::ai-assets.job').count();

    const median = { rule: percentile(samples.rule, 50), none: percentile(samples.none, 50) };
    const p95 = { rule: percentile(samples.rule, 95), none: percentile(samples.none, 95) };
    const ratio = median.rule / median.none;
    const p95Added = p95.rule - p95.none;
    const avg = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
    console.log(`\npublish() on SQLite, ${PUBLISHES} interleaved publishes (${samples.rule.length} with a matching rule, ${samples.none.length} without)\n`);
    console.log(`${'side'.padEnd(22)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)} ${'SQL while it ran*'.padStart(22)}`);
    for (const side of ['rule', 'none']) {
      console.log(`${(side === 'rule' ? 'matching rule' : 'no rule').padEnd(22)} ${median[side].toFixed(2).padStart(10)} ${p95[side].toFixed(2).padStart(8)} ${avg(statementCounts[side]).toFixed(1).padStart(22)}`);
    }
    console.log('* every statement the app issued meanwhile, including the previous publish\'s enqueue running in the background');
    console.log(`\njobs queued by the rule side: ${queued} (every publish with the rule planned a job after commit)`);
    const ratioMet = ratio <= 1.05;
    const p95Met = p95Added <= 5;
    console.log(`Target: median ratio <= 1.05 -> ${ratio.toFixed(3)} (${ratioMet ? 'met' : 'NOT met'}); p95 added <= 5 ms -> ${p95Added.toFixed(2)} ms (${p95Met ? 'met' : 'NOT met'}).`);
    if (!ratioMet || !p95Met) process.exitCode = 1;
  } finally {
    await app.stop();
    removeWorkDir(app.workDir);
  }
};
