/**
 * Candidates side by side and revert in the real admin: a review rule with n: 3 on the offline `local` provider
 * shows three images next to each other on the job page; the editor approves the second and removes another;
 * later, from the entry's side panel, an earlier image is put back into the field and the form shows it.
 */
import { config } from '../integration/support/configs';
import { getArticleDraft, getJob, publishArticle, waitForEntryJob, waitForJob } from './support/articles';
import { setupAdminSession } from './support/session';

const candidatesRule = {
  id: 'article-photo-candidates',
  contentType: 'api::article.article',
  on: ['publish'],
  onlyIfEmpty: false,
  prompt: 'Photograph for "{{title}}"',
  params: { size: '320x320', n: 3 },
  output: { format: 'webp', quality: 80, width: 320, height: 320 },
  target: 'photo',
  review: true,
  folder: 'AI Assets/Candidates',
};

// Runs only when asked: one provider image, two named renditions into two fields.
const renditionsRule = {
  id: 'article-social-renditions',
  contentType: 'api::article.article',
  on: [],
  prompt: 'Social card for "{{title}}"',
  params: { size: '640x640' },
  output: [
    { name: 'og', width: 600, height: 315, format: 'webp', target: 'ogImage' },
    { name: 'square', width: 300, height: 300, format: 'jpeg', target: 'thumb' },
  ],
  target: 'ogImage',
  folder: 'AI Assets/Social',
};

type Candidate = { index: number; fileId: number; fileExists: boolean; picked: boolean };

describe('candidates and revert in the admin', () => {
  const session = setupAdminSession(config([candidatesRule, renditionsRule]));
  let documentId: string;
  let firstJobId: number;
  let chosenFileId: number;

  it('shows three candidates side by side, approves the second and removes the first', async () => {
    const page = session.browser.page;
    documentId = await publishArticle(session.admin, 'Salt Marsh');
    const job = await waitForEntryJob(session.admin, documentId, ['awaiting_review']);
    firstJobId = job.id;

    await session.browser.open(`/admin/plugins/ai-assets/jobs/${job.id}`);
    const images = [0, 1, 2].map((index) => page.getByTestId(`candidate-image-${index}`));
    for (const image of images) {
      await image.waitFor();
      await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await image.elementHandle());
    }
    // Side by side: one row, left to right.
    const boxes = await Promise.all(images.map((image) => image.boundingBox()));
    expect(boxes.every((box) => box && Math.abs(box.y - (boxes[0]?.y ?? 0)) < 2)).toBe(true);
    expect((boxes[0]?.x ?? 0) < (boxes[1]?.x ?? 0) && (boxes[1]?.x ?? 0) < (boxes[2]?.x ?? 0)).toBe(true);
    const sources = await Promise.all(images.map((image) => image.getAttribute('src')));
    expect(new Set(sources).size).toBe(3);
    await session.browser.screenshot('candidates-01-side-by-side');

    const candidates = (await getJob(session.admin, job.id)).candidates as Candidate[];
    await page.getByTestId('candidate-approve-1').click();
    await page.locator(`[data-testid="status-badge-${job.id}"][data-status="approved"]`).waitFor();
    await page.locator('[data-testid="candidate-1"][data-picked="true"]').waitFor();
    await expect(page.getByTestId('candidate-approve-0').count()).resolves.toBe(0);
    chosenFileId = candidates[1].fileId;
    expect((await getArticleDraft(session.admin, documentId)).photo?.id).toBe(chosenFileId);
    // The attached one cannot be removed; the others can.
    await expect(page.getByTestId('candidate-remove-1').count()).resolves.toBe(0);
    await session.browser.screenshot('candidates-02-second-approved');

    await page.getByTestId('candidate-remove-0').click();
    await page.getByTestId('candidate-remove-confirm').click();
    await page.getByTestId('candidate-image-0').waitFor({ state: 'detached' });
    const after = (await getJob(session.admin, job.id)).candidates as Candidate[];
    expect(after.map((candidate) => candidate.fileExists)).toEqual([false, true, true]);
    expect(await session.server.strapi.db.query('plugin::upload.file').findOne({ where: { id: candidates[0].fileId } })).toBeNull();
    await session.browser.screenshot('candidates-03-first-removed');
  });

  it('puts an earlier image back from the side panel: the entry and the form show it', async () => {
    const page = session.browser.page;
    // A later job replaces the photo.
    const run = await session.admin.post(`/ai-assets/rules/${candidatesRule.id}/run`, { documentId, locale: 'en', force: true });
    expect(run.status).toBe(202);
    await waitForJob(session.admin, run.body.data.jobId, ['awaiting_review']);
    const approved = await session.admin.post(`/ai-assets/jobs/${run.body.data.jobId}/approve`, {});
    expect(approved.status).toBe(200);
    expect((await getArticleDraft(session.admin, documentId)).photo?.id).not.toBe(chosenFileId);

    await session.browser.open(`/admin/content-manager/collection-types/api::article.article/${documentId}?plugins[i18n][locale]=en`);
    const panel = page.getByTestId('ai-assets-side-panel');
    const history = panel.getByTestId('image-history-photo');
    await history.waitFor();
    await history.locator(`[data-testid="history-entry-${run.body.data.jobId}-photo"][data-current="true"]`).waitFor();
    const revert = history.getByTestId(`history-revert-${firstJobId}-photo`);
    await revert.scrollIntoViewIfNeeded();
    await session.browser.screenshot('candidates-04-history');

    await revert.click();
    await page.getByText('The earlier image is back in “photo”.', { exact: true }).waitFor();
    await history.locator(`[data-testid="history-entry-${firstJobId}-photo"][data-current="true"]`).waitFor();
    expect((await getArticleDraft(session.admin, documentId)).photo?.id).toBe(chosenFileId);

    // The form follows the revert (the revert job's attach), so a later Save keeps the image put back.
    const file = await session.server.strapi.db.query('plugin::upload.file').findOne({ where: { id: chosenFileId } });
    const photo = page.locator('section[aria-roledescription="carousel"][aria-label="photo"] img');
    await page.waitForFunction(
      (hash) => [...document.querySelectorAll('section[aria-roledescription="carousel"][aria-label="photo"] img')].some((img) => (img as HTMLImageElement).src.includes(hash)),
      file.hash,
      { timeout: 30_000 }
    );
    await expect(photo.first().getAttribute('src')).resolves.toContain(file.hash);
    await session.browser.screenshot('candidates-05-reverted');
  });

  it('shows every rendition of a job with the field each went to', async () => {
    const page = session.browser.page;
    const run = await session.admin.post(`/ai-assets/rules/${renditionsRule.id}/run`, { documentId, locale: 'en' });
    expect(run.status).toBe(202);
    await waitForJob(session.admin, run.body.data.jobId, ['succeeded']);
    await session.browser.open(`/admin/plugins/ai-assets/jobs/${run.body.data.jobId}`);
    const og = page.getByTestId('rendition-og');
    const square = page.getByTestId('rendition-square');
    await og.waitFor();
    await expect(og.textContent()).resolves.toMatch(/600 × 315 px · webp.*Field “ogImage”/);
    await expect(square.textContent()).resolves.toMatch(/300 × 300 px · jpeg.*Field “thumb”/);
    for (const rendition of [og, square]) {
      await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await rendition.locator('img').elementHandle());
    }
    await session.browser.screenshot('candidates-06-renditions');
  });
});
