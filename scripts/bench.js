#!/usr/bin/env node
/**
 * `npm run bench`: speed and memory of the hot paths, measured side by side in one run so the ratios hold
 * whatever the machine is doing. Each file in scripts/bench/ (except helpers) is one case: it exports an async
 * function that prints its table and targets and sets `process.exitCode = 1` when a target is not met.
 * `npm run bench -- media queue` runs only the named cases.
 */
'use strict';
require('./ts-register');
const fs = require('node:fs');
const path = require('node:path');

const HELPERS = new Set(['measure.js']);

async function main() {
  const only = process.argv.slice(2);
  const directory = path.join(__dirname, 'bench');
  const cases = fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.js') && !HELPERS.has(file))
    .filter((file) => only.length === 0 || only.includes(path.basename(file, '.js')))
    .sort();
  for (const file of cases) {
    console.log(`\n=== bench: ${path.basename(file, '.js')} ===`);
    await require(path.join(directory, file))();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
