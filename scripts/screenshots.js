#!/usr/bin/env node
/**
 * `npm run screenshots`: the admin screenshots of the README, taken from the playground with the offline `local`
 * provider at 1440x900 and saved as palette PNGs in docs/images/. Needs the plugin and the playground admin built
 * (`npm run build && npm run build:playground`). Boots on a temp database and uploads folder (nothing of the demo's
 * data is touched), publishes a few articles, waits for their jobs, then captures the jobs list, a job detail, the
 * side panel of an entry, the review queue and the settings. Exits non-zero if any step fails.
 */
'use strict';
require('./ts-register');
const fs = require('node:fs');
const path = require('node:path');
const sharp = require('sharp');
const { bootAdminServer } = require('../tests/e2e/support/server');
const { openBrowser } = require('../tests/e2e/support/browser');
const { adminApi, publishArticle, waitForJob } = require('../tests/e2e/support/articles');
const { createSuperAdmin } = require('../tests/integration/support/admin');
const { waitFor } = require('../tests/integration/support/wait');
const { demoConfig } = require('../playground/config/plugins');
const { FAST_QUEUE } = require('../tests/integration/support/configs');

const OUT_DIR = path.resolve(__dirname, '..', 'docs', 'images');
const EMAIL = 'editor@example.test';
const ARTICLE = 'api::article.article';
const ARTICLES = [
  { title: 'Northern Lights Over Tromsø', summary: 'Green ribbons of light over a snowy Arctic harbour at midnight.' },
  { title: 'The Last Lighthouse Keepers', summary: 'Three keepers on a rock in the North Sea.' },
  { title: 'Terraced Rice Fields of Banaue', summary: 'Two thousand years of farming carved into mountains.' },
  { title: 'A Night Market in Taipei', summary: 'Steam, neon and street food after dark.' },
];

/** Saves the page as it is in the 1440x900 viewport, as a palette PNG (a fraction of the size of a full-colour one). */
async function capture(page, name) {
  const raw = await page.screenshot({ fullPage: false });
  const file = path.join(OUT_DIR, `${name}.png`);
  await sharp(raw).png({ palette: true, quality: 90, effort: 10, compressionLevel: 9 }).toFile(file);
  console.log(`${path.relative(process.cwd(), file)}  ${(fs.statSync(file).size / 1024).toFixed(0)} kB`);
}

/** Lets images finish loading, so a screenshot shows thumbnails rather than empty boxes. */
async function imagesLoaded(page) {
  await page.waitForFunction(() => Array.from(document.images).every((image) => image.complete));
}

/** Closes Strapi's "Introducing ..." announcement banner if it shows (it would sit on top of every screenshot). */
async function dismissAnnouncement(page) {
  const text = page.getByText('Introducing the new Media Library');
  if (!(await text.count())) return;
  await page.evaluate(() => {
    const leaf = Array.from(document.querySelectorAll('body *')).find((node) => node.childElementCount === 0 && /Introducing the new/.test(node.textContent ?? ''));
    let banner = leaf;
    while (banner && !banner.querySelector('button')) banner = banner.parentElement;
    const buttons = banner ? banner.querySelectorAll('button') : [];
    buttons[buttons.length - 1]?.click();
  });
  await text.waitFor({ state: 'detached' });
}

async function main() {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const server = await bootAdminServer({ config: { ...demoConfig, queue: FAST_QUEUE } });
  let browser;
  try {
    await createSuperAdmin(server.strapi, EMAIL);
    const admin = await adminApi(server.strapi, EMAIL);
    const documentIds = [];
    for (const article of ARTICLES) documentIds.push(await publishArticle(admin, article.title));
    // Each article gets a cover (attached) and a photo (awaiting review).
    const jobs = await waitFor(async () => {
      const response = await admin.get('/ai-assets/jobs?pageSize=50');
      const results = response.body.results ?? [];
      const done = results.filter((job) => ['succeeded', 'awaiting_review'].includes(job.status));
      return done.length === ARTICLES.length * 2 && results;
    }, { timeoutMs: 120_000, what: 'every demo job to finish' });
    const cover = jobs.find((job) => job.rule === 'article-cover' && job.documentId === documentIds[0]);
    await waitForJob(admin, cover.id, ['succeeded']);

    browser = await openBrowser(server.baseUrl);
    const { page } = browser;
    await browser.login(EMAIL);

    await browser.open('/admin/plugins/ai-assets?status=all');
    await page.getByTestId(`job-row-${cover.id}`).waitFor();
    await dismissAnnouncement(page);
    await imagesLoaded(page);
    await capture(page, 'jobs-list');

    await browser.open('/admin/plugins/ai-assets');
    await page.locator('[data-testid^="job-row-"]').first().waitFor();
    await imagesLoaded(page);
    await capture(page, 'review-queue');

    await browser.open(`/admin/plugins/ai-assets/jobs/${cover.id}`);
    await page.getByTestId('job-result-image').waitFor();
    await imagesLoaded(page);
    await capture(page, 'job-detail');

    // The side panel after an editor published a changed summary: the cover rule says why it queued nothing.
    const documentId = documentIds[0];
    await admin.post(`/content-manager/collection-types/${ARTICLE}/${documentId}/actions/publish?locale=en`, {
      title: ARTICLES[0].title,
      summary: ARTICLES[0].summary,
    });
    await browser.open(`/admin/content-manager/collection-types/${ARTICLE}/${documentId}?plugins[i18n][locale]=en`);
    const panel = page.getByTestId('ai-assets-side-panel');
    await page.locator('[data-testid="trigger-outcome-article-cover"][data-outcome="target_set"]').waitFor({ timeout: 30_000 });
    await panel.getByTestId(`panel-job-${cover.id}`).waitFor();
    await page.getByTestId('trigger-outcomes').evaluate((node) => node.scrollIntoView({ block: 'center' }));
    await imagesLoaded(page);
    await capture(page, 'side-panel');

    await browser.open('/admin/settings/ai-assets');
    await page.getByTestId('ai-assets-settings').waitFor();
    await page.getByTestId('settings-queue').waitFor();
    await capture(page, 'settings');
  } finally {
    await browser?.close();
    await server.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);
