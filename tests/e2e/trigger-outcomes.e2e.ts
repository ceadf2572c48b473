/**
 * "Why did nothing happen", as an editor sees it: after pressing Publish in the edit view, the side panel says
 * per rule whether a job was queued and, if not, why (the cover is already set; same inputs as an earlier job,
 * with a link to it).
 */
import { config, coverRule } from '../integration/support/configs';
import { publishArticle, waitForEntryJob, waitForJob } from './support/articles';
import { setupAdminSession } from './support/session';

const ARTICLE = 'api::article.article';
// Reads only the title, so a publish that changes the summary has the same inputs as the first one.
const photoRule = { ...coverRule, id: 'article-photo-title', target: 'photo', onlyIfEmpty: false, review: true, prompt: 'Photograph of "{{title}}".' };

describe('trigger outcomes in the side panel', () => {
  const session = setupAdminSession(config([coverRule, photoRule]));

  it('tells, after a publish, that the cover was already set and that the photo rule met an earlier job', async () => {
    const page = session.browser.page;
    const documentId = await publishArticle(session.admin, 'Basalt Columns');
    const cover = await waitForEntryJob(session.admin, documentId, ['succeeded']);
    expect(cover.rule).toBe(coverRule.id);
    const jobs = await session.admin.get(`/ai-assets/jobs?documentId=${documentId}&rule=${photoRule.id}`);
    const photoJobId = jobs.body.results[0].id as number;
    await waitForJob(session.admin, photoJobId, ['awaiting_review']);

    await session.browser.open(`/admin/content-manager/collection-types/${ARTICLE}/${documentId}?plugins[i18n][locale]=en`);
    await page.locator('input[name="title"]').waitFor();
    const coverOutcome = page.getByTestId(`trigger-outcome-${coverRule.id}`);
    const photoOutcome = page.getByTestId(`trigger-outcome-${photoRule.id}`);
    await page.locator(`[data-testid="trigger-outcome-${coverRule.id}"][data-outcome="queued"]`).waitFor();
    await expect(coverOutcome.getByRole('link', { name: `#${cover.id}` }).count()).resolves.toBe(1);
    await session.browser.screenshot('trigger-outcomes-01-queued');

    await page.locator('textarea[name="summary"], input[name="summary"]').first().fill('Hexagonal stone, edited summary.');
    const published = page.waitForResponse((response) => response.request().method() === 'POST' && response.url().includes(`/${documentId}/actions/publish`));
    await page.getByRole('button', { name: 'Publish' }).click();
    expect((await published).status()).toBe(200);

    await page.locator(`[data-testid="trigger-outcome-${coverRule.id}"][data-outcome="target_set"]`).waitFor({ timeout: 20_000 });
    await expect(coverOutcome.textContent()).resolves.toContain('the target field already has an image');
    await page.locator(`[data-testid="trigger-outcome-${photoRule.id}"][data-outcome="duplicate"]`).waitFor({ timeout: 20_000 });
    await expect(photoOutcome.textContent()).resolves.toContain(`same inputs as job #${photoJobId}`);
    await photoOutcome.scrollIntoViewIfNeeded();
    await session.browser.screenshot('trigger-outcomes-02-why-not');

    // The link leads to the job that already has these inputs.
    await photoOutcome.getByRole('link', { name: `#${photoJobId}` }).click();
    await page.waitForURL(`**/plugins/ai-assets/jobs/${photoJobId}`);
    await page.getByTestId('job-detail').waitFor();
  });
});
