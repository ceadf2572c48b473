/**
 * An editor who may only read the plugin: the admin shows jobs but no way to act on them, hides the settings,
 * and the server refuses the review action itself (the UI is not the only guard).
 */
import { createSuperAdmin, createUserWithActions } from '../integration/support/admin';
import { config, coverRule } from '../integration/support/configs';
import { adminApi, getJob, publishArticle, waitForEntryJob, type AdminApi } from './support/articles';
import { openBrowser, type BrowserSession } from './support/browser';
import { bootAdminServer, type AdminServer } from './support/server';

const reviewRule = { ...coverRule, id: 'article-cover-review', review: true };
const SUPER_ADMIN = 'super@example.test';
const READER = 'reader@example.test';

describe('an editor with only plugin::ai-assets.read', () => {
  let server: AdminServer;
  let admin: AdminApi;
  let reader: AdminApi;
  let browser: BrowserSession;
  let jobId: number;

  beforeAll(async () => {
    server = await bootAdminServer({ config: config([reviewRule]) });
    await createSuperAdmin(server.strapi, SUPER_ADMIN);
    await createUserWithActions(server.strapi, READER, ['plugin::ai-assets.read']);
    admin = await adminApi(server.strapi, SUPER_ADMIN);
    reader = await adminApi(server.strapi, READER);
    const documentId = await publishArticle(admin, 'Salt Flats');
    jobId = (await waitForEntryJob(admin, documentId, ['awaiting_review'])).id;
    browser = await openBrowser(server.baseUrl);
    await browser.login(READER);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(() => {
    expect(browser.takeProblems()).toEqual([]);
  });

  it('sees the queue without selection boxes and the job without any action button', async () => {
    const page = browser.page;
    await browser.open('/admin/plugins/ai-assets');
    await page.locator(`[data-testid="status-badge-${jobId}"][data-status="awaiting_review"]`).waitFor();
    await expect(page.locator('[data-testid^="select-job-"], [data-testid="select-all"], [data-testid="bulk-actions"]').count()).resolves.toBe(0);
    await browser.screenshot('reader-01-queue');

    await page.getByTestId(`job-row-${jobId}`).click();
    await page.getByTestId('job-result-image').waitFor();
    // job-actions renders once the permissions are known: from then on it must hold no action for this editor.
    await page.getByTestId('job-actions').waitFor({ state: 'attached' });
    await expect(page.locator('[data-testid^="action-"]').count()).resolves.toBe(0);
    await browser.screenshot('reader-02-job-without-actions');
  });

  it('is shown the no-permission page for the plugin settings', async () => {
    const page = browser.page;
    await browser.open('/admin/settings/ai-assets');
    await page.getByText("You don't have the permissions to access that content").waitFor();
    await expect(page.getByTestId('ai-assets-settings').count()).resolves.toBe(0);
    await browser.screenshot('reader-03-settings-forbidden');
  });

  it('gets 403 from POST /ai-assets/jobs/:id/approve with its own token, and the job stays held', async () => {
    const response = await reader.post(`/ai-assets/jobs/${jobId}/approve`);
    expect(response.status).toBe(403);
    expect((await getJob(admin, jobId)).status).toBe('awaiting_review');
    // The same call with the review permission succeeds, so the 403 is about the permission, not the request.
    expect((await admin.post(`/ai-assets/jobs/${jobId}/approve`)).status).toBe(200);
  });
});
