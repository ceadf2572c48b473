'use strict';
/** Bench case: local provider, sharp processing and template rendering (the media hot paths). */
const sharp = require('sharp');
const { localProviderType } = require('../../server/src/providers/local');
const { processImage } = require('../../server/src/media/process');
const { inputHash } = require('../../server/src/queue/hash');
const { renderTemplate } = require('../../server/src/rules/template');
const { measure } = require('./measure');

const log = { debug() {}, info() {}, warn() {}, error() {} };
const provider = localProviderType.create({ name: 'local', options: {}, log });
const signal = new AbortController().signal;

module.exports = async function mediaBench() {
  sharp.concurrency(1); // one libvips thread, so figures don't depend on idle cores
  const rows = [];
  const generate1024 = await measure('local generate 1024x1024 (PNG)', 10, (i) => provider.generate({ prompt: `Bench image ${i}`, params: { size: '1024x1024' } }, { signal }));
  rows.push(generate1024);
  rows.push(await measure('local generate 1536x1024 + title', 10, (i) => provider.generate({ prompt: `Bench image ${i}`, params: { size: '1536x1024', title: 'Northern lights over the harbour' } }, { signal })));
  const { images } = await provider.generate({ prompt: 'source', params: { size: '1536x1024' } }, { signal });
  rows.push(await measure('local edit 1536x1024', 10, (i) => provider.edit({ prompt: `Edit ${i}`, params: {}, images: [{ data: images[0].data, mime: 'image/png' }] }, { signal })));
  const baseline = await measure('sharp decode+encode PNG 1536x1024 (baseline)', 10, () => sharp(images[0].data).png().toBuffer());
  rows.push(baseline);
  for (const format of ['webp', 'jpeg', 'avif', 'png']) {
    rows.push(await measure(`processImage -> ${format} 1200x630`, 10, () => processImage(images[0].data, { format, quality: 82, width: 1200, height: 630, fit: 'cover' })));
  }
  const entry = { title: 'Northern Lights Over Tromsø', summary: 'x'.repeat(5000) };
  rows.push(await measure('render prompt template + input hash', 2000, async (i) =>
    inputHash({ ruleId: 'r', contentType: 'api::a.a', documentId: String(i), locale: 'en', operation: 'generate', provider: 'local',
      prompt: renderTemplate('Editorial illustration for "{{title}}". {{summary}}', entry, { maxValueLength: 2000 }), params: { size: '1536x1024' }, output: { format: 'webp' } })));

  console.log('\nai-assets bench (sharp concurrency 1)\n');
  console.log(`${'case'.padEnd(48)} ${'ms/op'.padStart(9)} ${'x baseline'.padStart(11)} ${'rss +MB'.padStart(8)}`);
  for (const row of rows) {
    console.log(`${row.label.padEnd(48)} ${row.ms.toFixed(2).padStart(9)} ${(row.ms / baseline.ms).toFixed(2).padStart(11)} ${row.rssDeltaMb.toFixed(1).padStart(8)}`);
  }
  const verdict = generate1024.ms < 1000 ? 'met' : 'NOT met';
  console.log(`\nTarget: local generate 1024x1024 well under 1000 ms -> ${generate1024.ms.toFixed(0)} ms (${verdict}).`);
  if (generate1024.ms >= 1000) process.exitCode = 1;
}
