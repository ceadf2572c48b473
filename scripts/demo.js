#!/usr/bin/env node
/**
 * `npm run demo`: the plugin's main job, end to end, on SQLite and the offline `local` provider.
 * Starts the playground Strapi on http://localhost:1337, creates an admin user and a sample article,
 * publishes it and prints the attached image as soon as the job is done. `--once` exits after printing.
 * (`npm run demo` builds the plugin first; this script builds the playground's admin when serving.)
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const once = process.argv.includes('--once');
const appDir = path.resolve(__dirname, '..', 'playground');
const distDir = path.join(appDir, 'dist');
const ADMIN = { email: 'editor@example.com', password: 'Demo-Passw0rd!', firstname: 'Demo', lastname: 'Editor' };

process.env.STRAPI_TELEMETRY_DISABLED = 'true';
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';

function step(message) {
  process.stdout.write(`\n> ${message}\n`);
}

async function waitForJob(strapi, documentId, rule, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const job = await strapi.db.query('plugin::ai-assets.job').findOne({ where: { targetDocumentId: documentId, rule }, orderBy: { id: 'desc' } });
    if (job && ['succeeded', 'awaiting_review', 'failed'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No finished job for ${documentId} after ${timeoutMs} ms`);
}

async function ensureAdmin(strapi) {
  const existing = await strapi.db.query('admin::user').findOne({ where: { email: ADMIN.email } });
  if (existing) return;
  const role = await strapi.service('admin::role').getSuperAdmin();
  await strapi.service('admin::user').create({ ...ADMIN, isActive: true, roles: [role.id] });
}

async function main() {
  const { compileStrapi, createStrapi } = require('@strapi/strapi');
  step('Compiling the playground app');
  await compileStrapi({ appDir, ignoreDiagnostics: true });
  if (!once) {
    step('Building the admin panel (about a minute)');
    execFileSync('npm', ['run', 'build:playground'], { cwd: path.resolve(__dirname, '..'), stdio: 'inherit', env: process.env });
  }

  step('Starting Strapi');
  const strapi = createStrapi({ appDir, distDir, autoReload: false, serveAdminPanel: !once });
  await strapi.start();
  await ensureAdmin(strapi);

  step('Creating and publishing a sample article');
  const documents = strapi.documents('api::article.article');
  const stamp = new Date().toISOString().slice(0, 19).replace('T', ' ');
  const article = await documents.create({
    locale: 'en',
    data: { title: `Northern Lights Over Tromsø (${stamp})`, summary: 'Green ribbons of light dance over a snowy Arctic harbour town at midnight.' },
  });
  const publishedAt = Date.now();
  await documents.publish({ documentId: article.documentId, locale: 'en' });
  const publishReturnedMs = Date.now() - publishedAt;

  const job = await waitForJob(strapi, article.documentId, 'article-cover', 60_000);
  const reviewJob = await waitForJob(strapi, article.documentId, 'article-photo-review', 60_000);
  if (job.status === 'failed') throw new Error(`The job failed: ${job.errorMessage}`);
  const entry = await documents.findOne({ documentId: article.documentId, locale: 'en', status: 'published', populate: ['cover'] });
  const file = entry && entry.cover;
  if (!file) throw new Error(`Job ${job.id} is ${job.status} but nothing is attached`);
  const base = `http://localhost:${strapi.config.get('server.port')}`;
  // Strapi stores file.size in kB, rounded: read the real size from the uploads folder.
  const bytesOnDisk = fs.statSync(path.join(strapi.dirs.static.public, file.url)).size;
  const queuedToDone = new Date(job.finishedAt).getTime() - new Date(job.createdAt).getTime();

  console.log('\n=== AI Assets demo: image attached ===');
  console.log(`article      : "${entry.title}" (documentId ${article.documentId}, locale en)`);
  console.log(`job          : #${job.id} ${job.status} via ${job.provider} (${job.model}), rule ${job.rule}, attempts ${job.attempts}`);
  console.log(`prompt       : ${job.prompt}`);
  console.log(`file         : ${base}${file.url}`);
  console.log(`               ${file.mime}, ${file.width}x${file.height}, ${bytesOnDisk} bytes, folder "${job.folder}", alt "${file.alternativeText}"`);
  console.log(`review       : job #${reviewJob.id} (rule ${reviewJob.rule}) is ${reviewJob.status}: approve it in the admin's review queue`);
  console.log(`timings      : publish() returned in ${publishReturnedMs} ms; queued -> attached in ${queuedToDone} ms (provider + sharp + upload ${job.durationMs} ms)`);
  if (!once) {
    console.log(`\nAdmin panel  : ${base}/admin   login ${ADMIN.email} / ${ADMIN.password}`);
    console.log('AI Assets    : ' + `${base}/admin/plugins/ai-assets`);
    console.log('Press Ctrl+C to stop.');
    return;
  }
  await strapi.destroy();
  process.exit(0);
}

main().catch((error) => {
  console.error(`\nDemo failed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
