/**
 * An open edit view never undoes a generated image: when the plugin attaches a file to the entry being edited,
 * the form shows it without a reload, and saving the form afterwards keeps it in draft and live.
 */
import { config, coverRule } from '../integration/support/configs';
import { getArticleDraft, publishArticle, waitForEntryJob, waitForJob, type AdminApi } from './support/articles';
import { setupAdminSession } from './support/session';

// Runs only from the panel, and attaches without review (to draft and live).
const manualRule = { ...coverRule, id: 'article-cover-now', on: [], review: false };
const ARTICLE = 'api::article.article';

async function getPublished(admin: AdminApi, documentId: string): Promise<Record<string, any>> {
  const response = await admin.get(`/content-manager/collection-types/${ARTICLE}/${documentId}?locale=en&status=published`);
  if (response.status !== 200) throw new Error(`GET published ${documentId}: ${response.status}`);
  return response.body.data;
}

describe('edit view follows attaches', () => {
  const session = setupAdminSession(config([manualRule]));

  async function openArticle(documentId: string) {
    const page = session.browser.page;
    await session.browser.open(`/admin/content-manager/collection-types/${ARTICLE}/${documentId}?plugins[i18n][locale]=en`);
    await page.locator('input[name="title"]').waitFor();
    await page.getByTestId('ai-assets-side-panel').getByTestId('panel-jobs-empty').waitFor();
  }

  /** Generates (from the panel unless `start` is given) and waits until the form's cover shows the job's file; the job. */
  async function generateAndSeeInForm(documentId: string, start?: () => Promise<unknown>) {
    const page = session.browser.page;
    await (start ? start() : page.getByTestId('panel-generate-article-cover-now').click());
    const job = await waitForEntryJob(session.admin, documentId, ['succeeded']);
    const fileName = String(job.result?.url).split('/').pop() as string;
    // The media field renders the attached file's image (or its thumbnail) once the form holds it.
    await page.locator(`img[src*="${fileName.replace(/\.[a-z]+$/, '')}"]`).first().waitFor({ timeout: 15_000 });
    await page.getByText(`Job #${job.id} attached a new image to “cover”: the form shows it.`).waitFor();
    return job;
  }

  async function saveAndCheck(documentId: string, fileId: number, summary: string) {
    const page = session.browser.page;
    const saved = page.waitForResponse(
      (response) => response.request().method() === 'PUT' && response.url().includes(`/${documentId}`)
    );
    await page.getByRole('button', { name: 'Save' }).click();
    expect((await saved).status()).toBe(200);
    const draft = await getArticleDraft(session.admin, documentId);
    expect(draft.summary).toBe(summary);
    expect(draft.cover?.id).toBe(fileId);
    const published = await getPublished(session.admin, documentId);
    expect(published.cover?.id).toBe(fileId);
  }

  it('reloads an unchanged form with the new image; a later edit and save keep it in draft and live', async () => {
    const page = session.browser.page;
    const documentId = await publishArticle(session.admin, 'Salt Marshes');
    await openArticle(documentId);
    const job = await generateAndSeeInForm(documentId);
    await session.browser.screenshot('form-follows-01-new-image');

    // The form was reloaded, not patched: nothing is unsaved yet.
    await expect(page.getByRole('button', { name: 'Save' }).isDisabled()).resolves.toBe(true);
    await page.locator('textarea[name="summary"], input[name="summary"]').first().fill('Edited after the image arrived.');
    await saveAndCheck(documentId, job.result!.fileId, 'Edited after the image arrived.');
    await session.browser.screenshot('form-follows-02-saved');
  });

  it('keeps unsaved edits and puts the new image into a form that was being edited', async () => {
    const page = session.browser.page;
    const documentId = await publishArticle(session.admin, 'Tidal Mills');
    await openArticle(documentId);
    const summary = page.locator('textarea[name="summary"], input[name="summary"]').first();
    await summary.fill('Typed before the image arrived.');
    const job = await generateAndSeeInForm(documentId);
    await expect(summary.inputValue()).resolves.toBe('Typed before the image arrived.');
    await saveAndCheck(documentId, job.result!.fileId, 'Typed before the image arrived.');
  });

  it('follows a job started elsewhere (not from this panel) while the form is open', async () => {
    const page = session.browser.page;
    const documentId = await publishArticle(session.admin, 'Night Ferries');
    await openArticle(documentId);
    // Another editor runs the rule through the API while this form is open.
    const job = await generateAndSeeInForm(documentId, async () => {
      const run = await session.admin.post('/ai-assets/rules/article-cover-now/run', { documentId, locale: 'en' });
      expect(run.status).toBe(202);
    });
    await page.locator('textarea[name="summary"], input[name="summary"]').first().fill('Saved after a job from elsewhere.');
    await saveAndCheck(documentId, job.result!.fileId, 'Saved after a job from elsewhere.');
  });

  it('regenerates from the panel with a changed prompt, stays in the edit view and shows the new image', async () => {
    const page = session.browser.page;
    const documentId = await publishArticle(session.admin, 'Lighthouse Keepers');
    await openArticle(documentId);
    const first = await generateAndSeeInForm(documentId);

    await page.getByTestId(`panel-regenerate-${first.id}`).click();
    const prompt = page.getByTestId('regenerate-prompt');
    await expect(prompt.inputValue()).resolves.toBe(first.prompt);
    await prompt.fill('A lighthouse at dusk, watercolour.');
    await session.browser.screenshot('form-follows-03-regenerate-dialog');
    const queued = page.waitForResponse((response) => response.url().endsWith(`/ai-assets/jobs/${first.id}/regenerate`));
    await page.getByTestId('regenerate-confirm').click();
    const childId = ((await (await queued).json()) as { data: { jobId: number } }).data.jobId;
    await page.getByText(`Regeneration queued as job #${childId}`).waitFor();
    expect(new URL(page.url()).pathname).toContain(`/content-manager/collection-types/${ARTICLE}/${documentId}`);

    await page.getByText(`Job #${childId} attached a new image to “cover”: the form shows it.`).waitFor({ timeout: 30_000 });
    const child = await waitForJob(session.admin, childId, ['succeeded']);
    expect(child).toMatchObject({ id: childId, parentJobId: first.id, prompt: 'A lighthouse at dusk, watercolour.' });
    const draft = await getArticleDraft(session.admin, documentId);
    expect(draft.cover?.id).toBe(child.result?.fileId);
  });
});
