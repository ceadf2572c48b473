/**
 * An editor who may only read the plugin: the admin shows jobs but no way to act on them, hides the settings,
 * and the server refuses the review action itself (the UI is not the only guard).
 */
import { createUserWithActions } from '../integration/support/admin';
import { config, coverRule } from '../integration/support/configs';
import { adminApi, getJob, publishArticle, waitForEntryJob, type AdminApi } from './support/articles';
import { setupAdminSession } from './support/session';

const reviewRule = { ...coverRule, id: 'article-cover-review', review: true };
const READER = 'reader@example.test';

describe('an editor with only plugin::ai-assets.read', () => {
  let reader: AdminApi;
  let jobId: number;
  const session = setupAdminSession(config([reviewRule]), {
    loginAs: READER,
    beforeLogin: async ({ server, admin }) => {
      await createUserWithActions(server.strapi, READER, ['plugin::ai-assets.read']);
      reader = await adminApi(server.strapi, READER);
      const documentId = await publishArticle(admin, 'Salt Flats');
      jobId = (await waitForEntryJob(admin, documentId, ['awaiting_review'])).id;
    },
  });

  it('sees the queue without selection boxes and the job without any action button', async () => {
    const page = session.browser.page;
    await session.browser.open('/admin/plugins/ai-assets');
    await page.locator(`[data-testid="status-badge-${jobId}"][data-status="awaiting_review"]`).waitFor();
    await expect(page.locator('[data-testid^="select-job-"], [data-testid="select-all"], [data-testid="bulk-actions"]').count()).resolves.toBe(0);
    await expect(page.getByTestId('open-backfills').count()).resolves.toBe(0);
    await session.browser.screenshot('reader-01-queue');

    await page.getByTestId(`job-row-${jobId}`).click();
    await page.getByTestId('job-result-image').waitFor();
    // job-actions renders once the permissions are known: from then on it must hold no action for this editor.
    await page.getByTestId('job-actions').waitFor({ state: 'attached' });
    await expect(page.locator('[data-testid^="action-"]').count()).resolves.toBe(0);
    await session.browser.screenshot('reader-02-job-without-actions');
  });

  it('is shown the no-permission page for the plugin settings', async () => {
    const page = session.browser.page;
    await session.browser.open('/admin/settings/ai-assets');
    await page.getByText("You don't have the permissions to access that content").waitFor();
    await expect(page.getByTestId('ai-assets-settings').count()).resolves.toBe(0);
    await session.browser.screenshot('reader-03-settings-forbidden');
  });

  it('is shown the no-permission page for backfills (they need plugin::ai-assets.backfill)', async () => {
    const page = session.browser.page;
    await session.browser.open('/admin/plugins/ai-assets/backfills');
    await page.getByText("You don't have the permissions to access that content").waitFor();
    await expect(page.getByTestId('backfill-form').count()).resolves.toBe(0);
  });

  it('gets 403 from POST /ai-assets/jobs/:id/approve with its own token, and the job stays held', async () => {
    const response = await reader.post(`/ai-assets/jobs/${jobId}/approve`);
    expect(response.status).toBe(403);
    expect((await getJob(session.admin, jobId)).status).toBe('awaiting_review');
    // The same call with the review permission succeeds, so the 403 is about the permission, not the request.
    expect((await session.admin.post(`/ai-assets/jobs/${jobId}/approve`)).status).toBe(200);
  });
});
