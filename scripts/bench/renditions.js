'use strict';
/**
 * Bench case: what a job's image costs from the provider's bytes to every file the Media Library holds
 * (original + Strapi's thumbnail and responsive breakpoints), against bare sharp producing the same set of files,
 * and the plugin's own step (the original alone) against one bare sharp call. The two sides alternate in each
 * round so machine load hits both alike.
 */
const sharp = require('sharp');
const { localProviderType } = require('../../server/src/providers/local');
const { outputSchema } = require('../../server/src/config/schema');
const { produceRenditions } = require('../../server/src/media/renditions');
const { provenanceFor, provenanceXmp } = require('../../server/src/media/provenance');

const log = { debug() {}, info() {}, warn() {}, error() {} };
const ROUNDS = 12;
const TARGET_WHOLE_PATH = 1.5;
const TARGET_OWN_STEP = 1.3;

/** Strapi's formats with "responsive dimensions" on (its defaults). */
const FORMAT_SIZES = [
  { key: 'thumbnail', width: 245, height: 156 },
  { key: 'large', width: 1000, height: 1000 },
  { key: 'medium', width: 750, height: 750 },
  { key: 'small', width: 500, height: 500 },
];

/** Size of an `inside` fit of width x height into box (what a format of the original measures). */
function insideOf(width, height, box) {
  const scale = Math.min(box.width / width, box.height / height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

async function alternate(rounds, first, second) {
  await first();
  await second(); // warm-up of both
  let firstMs = 0;
  let secondMs = 0;
  for (let round = 0; round < rounds; round += 1) {
    let started = process.hrtime.bigint();
    await first();
    firstMs += Number(process.hrtime.bigint() - started) / 1e6;
    started = process.hrtime.bigint();
    await second();
    secondMs += Number(process.hrtime.bigint() - started) / 1e6;
  }
  return { firstMs: firstMs / rounds, secondMs: secondMs / rounds };
}

module.exports = async function renditionsBench() {
  sharp.concurrency(1); // one libvips thread, so figures don't depend on idle cores
  const provider = localProviderType.create({ name: 'local', options: {}, log });
  const { images } = await provider.generate({ prompt: 'Bench renditions', params: { size: '1024x1024' } }, { signal: new AbortController().signal });
  const input = images[0].data;
  const spec = outputSchema.parse({ format: 'webp', quality: 82, width: 1200, height: 630, fit: 'cover' });
  const xmp = provenanceXmp(provenanceFor({ id: 1, operation: 'generate', provider: 'local', model: 'local' }, null));

  // The set the Media Library ends up holding: the original and every format smaller than it.
  const formatDims = FORMAT_SIZES.filter((size) => spec.width > size.width || spec.height > size.height).map((size) => insideOf(spec.width, spec.height, size));
  const bareFile = (width, height) => sharp(input).resize({ width, height, fit: 'cover' }).webp({ quality: spec.quality }).toBuffer();
  // One after the other, as the plugin encodes its files.
  const bareSet = async () => {
    for (const dims of [{ width: spec.width, height: spec.height }, ...formatDims]) await bareFile(dims.width, dims.height);
  };

  const plugin = await produceRenditions(input, [spec], { xmp, formatSizes: FORMAT_SIZES });
  if (plugin[0].formats.length !== formatDims.length) throw new Error(`file sets differ: ${plugin[0].formats.length} formats vs ${formatDims.length}`);

  const whole = await alternate(ROUNDS, () => produceRenditions(input, [spec], { xmp, formatSizes: FORMAT_SIZES }), bareSet);
  const own = await alternate(ROUNDS, () => produceRenditions(input, [{ ...spec, formats: false }], { xmp, formatSizes: FORMAT_SIZES }), () => bareFile(spec.width, spec.height));

  const wholeRatio = whole.firstMs / whole.secondMs;
  const ownRatio = own.firstMs / own.secondMs;
  console.log(`\nai-assets renditions bench (1024x1024 PNG -> WebP q82 1200x630 + ${formatDims.length} formats, sharp concurrency 1, ${ROUNDS} alternating rounds)\n`);
  console.log(`${'case'.padEnd(64)} ${'ms/op'.padStart(9)}`);
  console.log(`${'whole path: plugin, provider bytes -> original + formats'.padEnd(64)} ${whole.firstMs.toFixed(1).padStart(9)}`);
  console.log(`${'whole path: bare sharp, one call per file'.padEnd(64)} ${whole.secondMs.toFixed(1).padStart(9)}`);
  console.log(`${"plugin's own step: original only (attention crop, XMP)".padEnd(64)} ${own.firstMs.toFixed(1).padStart(9)}`);
  console.log(`${'bare sharp: one call (centre crop)'.padEnd(64)} ${own.secondMs.toFixed(1).padStart(9)}`);
  const verdict = (ratio, target) => `${ratio.toFixed(2)}x (target <= ${target}x: ${ratio <= target ? 'met' : 'NOT met'})`;
  console.log(`\nWhole path vs bare sharp producing the same files: ${verdict(wholeRatio, TARGET_WHOLE_PATH)}`);
  console.log(`Plugin's own step vs one bare sharp call:          ${verdict(ownRatio, TARGET_OWN_STEP)}`);
  if (wholeRatio > TARGET_WHOLE_PATH || ownRatio > TARGET_OWN_STEP) process.exitCode = 1;
};
