#!/usr/bin/env node
/**
 * `node scripts/soak-crash.js [jobs] [kills]` (default 200 jobs, 3 kills): the playground on SQLite against a
 * slow counting fake OpenAI, killed with SIGKILL mid-work and restarted; prints lost jobs, repeated paid calls,
 * orphan files and double attaches, and exits 1 when any is not 0. Build the plugin first (`npm run build`).
 */
'use strict';
require('./ts-register');
const { formatFigures, runCrashSoak } = require('../tests/integration/support/crash-soak.ts');

async function main() {
  const jobs = Number(process.argv[2] ?? 200);
  const kills = Number(process.argv[3] ?? 3);
  const figures = await runCrashSoak({ jobs, kills, log: (line) => console.log(line) });
  console.log(formatFigures(figures));
  const bad = figures.lost + (figures.repeatedCompletedCalls - figures.repeatedInTransit) + figures.orphanFileRows + figures.orphanFilesOnDisk + figures.doubleAttaches;
  if (bad > 0 || figures.succeeded !== jobs) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
