/**
 * The Content Manager side panel as an editor uses it while writing: "Generate now" queues a job that shows up in
 * the panel, "Attach" approves it into the entry; content types without rules get no panel at all.
 */
import { config, coverRule } from '../integration/support/configs';
import { createEntry, getArticleDraft, publishArticle, waitForEntryJob, waitForJob } from './support/articles';
import { setupAdminSession } from './support/session';

// Runs only when asked (no `on` event): every job of this file starts from the panel.
const manualRule = { ...coverRule, id: 'article-cover-manual', on: [], review: true };
const NOTE = 'api::note.note';

describe('side panel actions', () => {
  const session = setupAdminSession(config([manualRule]));

  /** Opens an entry's edit view and waits until the admin knows which content types have rules. */
  async function openEditView(uid: string, documentId: string, locale?: string) {
    const page = session.browser.page;
    const contentTypes = page.waitForResponse((response) => response.url().endsWith('/ai-assets/content-types'));
    await session.browser.open(`/admin/content-manager/collection-types/${uid}/${documentId}${locale ? `?plugins[i18n][locale]=${locale}` : ''}`);
    const answer = (await (await contentTypes).json()) as { data: Array<{ uid: string; rules: string[] }> };
    await page.locator('input[name="title"]').waitFor();
    return answer.data;
  }

  it('queues a job with "Generate now", shows it in the panel until it awaits review, and attaches it to the cover', async () => {
    const page = session.browser.page;
    const documentId = await publishArticle(session.admin, 'Copper Roofs');
    await openEditView('api::article.article', documentId, 'en');
    const panel = page.getByTestId('ai-assets-side-panel');
    await panel.getByTestId('panel-jobs-empty').waitFor();

    const run = page.waitForResponse((response) => response.url().endsWith('/ai-assets/rules/article-cover-manual/run'));
    await panel.getByTestId('panel-generate-article-cover-manual').click();
    const queued = (await (await run).json()) as { data: { jobId: number; deduplicated: boolean } };
    expect(queued.data.deduplicated).toBe(false);
    const jobId = queued.data.jobId;
    await panel.getByTestId(`panel-job-${jobId}`).waitFor();
    await page.getByText(`Job #${jobId} queued`).waitFor();
    await session.browser.screenshot('side-panel-01-generated');

    // The panel follows the job while it is in flight, so Attach appears without a reload.
    await panel.locator(`[data-testid="status-badge-${jobId}"][data-status="awaiting_review"]`).waitFor({ timeout: 30_000 });
    await expect(waitForEntryJob(session.admin, documentId, ['awaiting_review'])).resolves.toMatchObject({ id: jobId });
    const attach = panel.getByTestId(`panel-attach-${jobId}`);
    await attach.scrollIntoViewIfNeeded();
    await session.browser.screenshot('side-panel-02-awaiting-review');

    await attach.click();
    await page.getByText('Attached to “cover”.', { exact: true }).waitFor();
    await panel.locator(`[data-testid="status-badge-${jobId}"][data-status="approved"]`).waitFor();
    await attach.waitFor({ state: 'detached' });
    await session.browser.screenshot('side-panel-03-attached');

    const approved = await waitForJob(session.admin, jobId, ['approved']);
    expect(approved.attachedField).toBe('cover');
    const draft = await getArticleDraft(session.admin, documentId);
    expect(draft.cover?.id).toBe(approved.result?.fileId);
    expect(draft.photo ?? null).toBeNull();
  });

  it('shows no AI Assets panel on a content type that has no rules', async () => {
    const page = session.browser.page;
    const documentId = await createEntry(session.admin, NOTE, { title: 'Shopping list' });
    const contentTypes = await openEditView(NOTE, documentId);
    // What the panel decides on: the note is not among the content types with rules (the article is).
    expect(contentTypes.map((contentType) => contentType.uid)).toEqual(['api::article.article']);
    await expect(page.locator('input[name="title"]').inputValue()).resolves.toBe('Shopping list');
    // The edit view's own side panel (the one with Publish) is there, so panels have rendered.
    await page.getByRole('button', { name: 'Publish' }).waitFor();
    await expect(page.getByTestId('ai-assets-side-panel').count()).resolves.toBe(0);
    await expect(page.getByRole('heading', { name: 'AI Assets' }).count()).resolves.toBe(0);
    await session.browser.screenshot('side-panel-04-note-without-panel');
  });
});
