'use strict';
/**
 * Bench case: decompression bombs against the decode limits (media/decode.ts). Each scenario runs in a fresh
 * child process and reports the growth of that process's peak RSS (getrusage maxRSS) over its warmed-up
 * baseline, so figures are real process memory, not heap estimates.
 * Targets: a bomb just within the caps <= 300 MB, two at once <= 600 MB; a bomb over the cap is refused
 * from its header (near zero growth).
 */
const { fork } = require('node:child_process');
const path = require('node:path');

const LIMIT_MB = { one: 300, two: 600 };

/** Squares at the default limit of 16 MP (8-bit RGBA pixels; 16-bit counts twice), interlaced. */
const WITHIN_8_BIT = 4000; // 16.0 MP, 64 MB of pixels once decoded
const WITHIN_16_BIT = 2828; // 8.0 MP x 2, 64 MB of pixels once decoded

const SCENARIO_LABELS = {
  'real 3840x2160 output': 'real 3840x2160 output (reference)',
  'bomb 16 MP 8-bit, processImage': 'bomb 16 MP 8-bit, processImage',
  'bomb 8 MP 16-bit, processImage': 'bomb 8 MP 16-bit, processImage',
  'two bombs at once, processImage': 'two 16 MP bombs at once, processImage',
  'bomb 16 MP as an edit mask': 'bomb 16 MP as an edit mask',
  'bomb 16 MP, Test provider thumbnail': 'bomb 16 MP, Test provider thumbnail',
  'over-limit': 'bomb 100 MP 16-bit (over the cap)',
};

async function child(scenario) {
  require('../ts-register');
  const sharp = require('sharp');
  const { pngBomb } = require('../../tests/fixtures/images');
  const { processImage } = require('../../server/src/media/process');
  const { prepareMask } = require('../../server/src/providers/openai/images');
  const { openImage, decodeStep } = require('../../server/src/media/decode');
  const output = { format: 'webp', quality: 82, fit: 'cover' };
  const real = await sharp({ create: { width: 3840, height: 2160, channels: 3, background: '#456' } }).png().toBuffer();
  const bomb =
    scenario === 'over-limit'
      ? await pngBomb(10_000, 10_000)
      : scenario.includes('16-bit')
        ? await pngBomb(WITHIN_16_BIT, WITHIN_16_BIT)
        : await pngBomb(WITHIN_8_BIT, WITHIN_8_BIT, { bitDepth: 8 });
  await processImage(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } }).png().toBuffer(), output); // load libvips
  const runs = {
    'real 3840x2160 output': () => processImage(real, output),
    'bomb 16 MP 8-bit, processImage': () => processImage(bomb, output),
    'bomb 8 MP 16-bit, processImage': () => processImage(bomb, output),
    'two bombs at once, processImage': () => Promise.all([processImage(bomb, output), processImage(bomb, output)]),
    'bomb 16 MP as an edit mask': () => prepareMask({ data: bomb, mime: 'image/png' }, { width: 1024, height: 1024 }),
    'bomb 16 MP, Test provider thumbnail': async () => {
      const { image } = await openImage(bomb, 'test image');
      return decodeStep(() => image.resize(256, 256, { fit: 'inside' }).png().toBuffer());
    },
    'over-limit': () => processImage(bomb, output),
  };
  const before = process.resourceUsage().maxRSS;
  const started = Date.now();
  let outcome = 'ok';
  try {
    await runs[scenario]();
  } catch (error) {
    outcome = `refused (${error.code ?? error.message})`;
  }
  const growthMb = (process.resourceUsage().maxRSS - before) / 1024;
  process.send({ scenario, growthMb, ms: Date.now() - started, bytes: scenario.startsWith('real') ? real.length : bomb.length, outcome });
}

function runChild(scenario) {
  return new Promise((resolve, reject) => {
    const worker = fork(__filename, ['--bomb-child', scenario], { stdio: 'inherit' });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`${scenario}: child exited with ${code}`)));
  });
}

async function bombsBench() {
  const scenarios = Object.keys(SCENARIO_LABELS);
  const rows = [];
  for (const scenario of scenarios) rows.push(await runChild(scenario));
  console.log('\nai-assets decompression bombs (fresh process each, peak RSS growth)\n');
  console.log(`${'case'.padEnd(40)} ${'input KB'.padStart(9)} ${'ms'.padStart(7)} ${'peak +MB'.padStart(9)}  outcome`);
  for (const row of rows) {
    const label = SCENARIO_LABELS[row.scenario];
    console.log(`${label.padEnd(40)} ${(row.bytes / 1024).toFixed(0).padStart(9)} ${String(row.ms).padStart(7)} ${row.growthMb.toFixed(1).padStart(9)}  ${row.outcome}`);
  }
  const one = Math.max(...rows.filter((row) => row.scenario !== 'two bombs at once, processImage').map((row) => row.growthMb));
  const two = rows.find((row) => row.scenario === 'two bombs at once, processImage').growthMb;
  const overLimit = rows.find((row) => row.scenario === 'over-limit');
  const met = one <= LIMIT_MB.one && two <= LIMIT_MB.two && overLimit.outcome.startsWith('refused');
  console.log(`\nTargets: one bomb within the caps <= ${LIMIT_MB.one} MB -> ${one.toFixed(0)} MB; two at once <= ${LIMIT_MB.two} MB -> ${two.toFixed(0)} MB; 100 MP refused -> ${overLimit.outcome} (${met ? 'met' : 'NOT met'}).`);
  if (!met) process.exitCode = 1;
}

if (process.argv[2] === '--bomb-child') {
  child(process.argv[3]).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  module.exports = bombsBench;
}
