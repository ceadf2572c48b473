/**
 * The review loop in the real admin: a published article gets a job held for review on the `local` provider,
 * an editor approves it from the queue and sees the image in the entry; regenerations and masked edits
 * become child jobs shown in the lineage.
 */
import sharp from 'sharp';
import { config, coverRule } from '../integration/support/configs';
import { findArticle } from '../integration/support/jobs';
import { getJob, publishArticle, waitForEntryJob, waitForJob } from './support/articles';
import { setupAdminSession } from './support/session';

// A short provider delay so the queue page shows the job in flight before it settles.
const reviewRule = { ...coverRule, id: 'article-cover-review', review: true, params: { ...coverRule.params, delayMs: 800 } };

describe('review flow in the admin', () => {
  const session = setupAdminSession(config([reviewRule]));

  /** Publishes an article and waits (through the API) until its job is held for review. */
  async function articleAwaitingReview(title: string) {
    const documentId = await publishArticle(session.admin, title);
    const job = await waitForEntryJob(session.admin, documentId, ['awaiting_review']);
    return { documentId, job };
  }

  it('shows the published article’s job reaching review with a thumbnail, approves it, and the entry shows the cover', async () => {
    const page = session.browser.page;
    const documentId = await publishArticle(session.admin, 'Glacier Caves');
    const queued = await waitForEntryJob(session.admin, documentId, ['queued', 'running', 'awaiting_review']);

    await session.browser.open('/admin/plugins/ai-assets');
    const row = page.getByTestId(`job-row-${queued.id}`);
    await row.waitFor();
    // The list polls while the job is in flight: the badge turns to awaiting review without a reload.
    await page.locator(`[data-testid="status-badge-${queued.id}"][data-status="awaiting_review"]`).waitFor({ timeout: 30_000 });
    const thumbnail = row.locator('img');
    await expect(thumbnail.getAttribute('src')).resolves.toMatch(/\/uploads\/thumbnail_/);
    await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await thumbnail.elementHandle());
    await session.browser.screenshot('review-01-queue-awaiting-review');

    await row.click();
    await page.waitForURL(`**/admin/plugins/ai-assets/jobs/${queued.id}`);
    await page.getByTestId('job-result-image').waitFor();
    await expect(page.getByTestId('job-prompt').textContent()).resolves.toBe('Editorial illustration for "Glacier Caves". About Glacier Caves.');
    await page.getByTestId('action-approve').click();
    await page.getByTestId('approve-confirm').click();
    await page.locator(`[data-testid="status-badge-${queued.id}"][data-status="approved"]`).waitFor();
    await expect(page.getByTestId('action-approve').count()).resolves.toBe(0);
    await session.browser.screenshot('review-02-job-approved');

    const approved = await getJob(session.admin, queued.id);
    const draft = await findArticle(session.server.strapi, documentId, 'draft');
    expect(draft?.cover?.id).toBe(approved.result?.fileId);

    // The Content Manager's media input for `cover` shows the attached file (any of its formats carries the hash).
    const file = await session.server.strapi.db.query('plugin::upload.file').findOne({ where: { id: approved.result?.fileId } });
    await session.browser.open(`/admin/content-manager/collection-types/api::article.article/${documentId}?plugins[i18n][locale]=en`);
    const coverImage = page.locator('section[aria-roledescription="carousel"][aria-label="cover"] img');
    await coverImage.waitFor();
    await expect(coverImage.getAttribute('src')).resolves.toContain(file.hash);
    await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await coverImage.elementHandle());
    await session.browser.screenshot('review-03-entry-cover');
  });

  it('regenerates with a changed prompt as a child job shown in the lineage of both jobs', async () => {
    const page = session.browser.page;
    const { job: parent } = await articleAwaitingReview('Paper Boats');

    await session.browser.open(`/admin/plugins/ai-assets/jobs/${parent.id}`);
    await page.getByTestId('action-regenerate').click();
    const prompt = page.getByTestId('regenerate-prompt');
    await expect(prompt.inputValue()).resolves.toBe(parent.prompt);
    await page.getByTestId('regenerate-params').fill('{ "size": ');
    await expect(page.getByTestId('regenerate-confirm').isDisabled()).resolves.toBe(true);
    await page.getByTestId('regenerate-params').fill('{ "size": "1024x1024" }');
    await prompt.fill('Origami boats for {{title}} at dawn');
    await expect(page.getByTestId('regenerate-confirm').isEnabled()).resolves.toBe(true);
    await page.getByTestId('regenerate-confirm').click();

    await page.waitForURL((url) => /\/plugins\/ai-assets\/jobs\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${parent.id}`));
    const childId = Number(page.url().split('/').pop());
    await page.getByTestId('lineage-parent').getByRole('link', { name: `Job #${parent.id} (generate)` }).waitFor();
    // The page polls while the child runs, then shows the held result without a reload.
    await page.locator(`[data-testid="status-badge-${childId}"][data-status="awaiting_review"]`).waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('job-prompt').textContent()).resolves.toBe('Origami boats for Paper Boats at dawn');
    await page.getByTestId('job-result-image').waitFor();
    await session.browser.screenshot('review-04-regenerated-child');

    const child = await getJob(session.admin, childId);
    expect(child).toMatchObject({ parentJobId: parent.id, trigger: 'regenerate', params: expect.objectContaining({ size: '1024x1024' }) });
    expect(child.result?.fileId).not.toBe(parent.result?.fileId);

    await page.getByTestId('lineage-parent').getByRole('link').click();
    await page.waitForURL(`**/admin/plugins/ai-assets/jobs/${parent.id}`);
    await page.getByTestId(`lineage-child-${childId}`).waitFor();
    await session.browser.screenshot('review-05-parent-lineage');
  });

  it('edits inside a mask painted with the mouse: the request carries a PNG with the strokes transparent and a child job is held for review', async () => {
    const page = session.browser.page;
    const { job: parent } = await articleAwaitingReview('Harbour Lights');

    await session.browser.open(`/admin/plugins/ai-assets/jobs/${parent.id}`);
    await page.getByTestId('action-edit').click();
    const canvas = page.getByTestId('mask-canvas');
    await canvas.waitFor();
    await expect(canvas.getAttribute('data-painted')).resolves.toBe('false');

    // One horizontal stroke across the middle, from 20 % to 80 % of the width.
    const paintStroke = async () => {
      const box = await canvas.boundingBox();
      if (!box) throw new Error('mask canvas has no box');
      await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.5, { steps: 12 });
      await page.mouse.up();
    };
    await paintStroke();
    await expect(canvas.getAttribute('data-painted')).resolves.toBe('true');
    await page.getByTestId('mask-clear').click();
    await expect(canvas.getAttribute('data-painted')).resolves.toBe('false');
    await paintStroke();
    await expect(canvas.getAttribute('data-painted')).resolves.toBe('true');
    await page.getByTestId('edit-prompt').fill('Add a red sail');
    await session.browser.screenshot('review-06-mask-painted');

    const editRequest = page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith(`/ai-assets/jobs/${parent.id}/edit`));
    await page.getByTestId('edit-confirm').click();
    // The mask goes up as a multipart PNG file (the 4 MB mask limit, not the 1 MB JSON one). Chromium does not
    // hand multipart bodies with file parts to the test, so the mask is read back from the job the server made.
    const sent = await editRequest;
    expect((await sent.allHeaders())['content-type']).toMatch(/^multipart\/form-data; boundary=/);

    await page.waitForURL((url) => /\/plugins\/ai-assets\/jobs\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${parent.id}`));
    const childId = Number(page.url().split('/').pop());
    const childRow = (await session.server.strapi.db.query('plugin::ai-assets.job').findOne({ where: { id: childId } })) as { prompt: string; maskData: string | null };
    expect(childRow.prompt).toBe('Add a red sail');
    expect(childRow.maskData).toEqual(expect.any(String));
    const maskBytes = Buffer.from(childRow.maskData as string, 'base64');
    expect((await sharp(maskBytes).metadata()).format).toBe('png');

    // The mask has the result's own size: white and opaque where untouched, fully transparent along the stroke.
    const mask = await sharp(maskBytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const { width, height } = mask.info;
    expect([width, height]).toEqual([1200, 630]);
    const pixel = (x: number, y: number) => {
      const offset = (Math.round(y) * width + Math.round(x)) * 4;
      return [...mask.data.subarray(offset, offset + 4)];
    };
    for (const share of [0.25, 0.5, 0.75]) expect(pixel(width * share, height * 0.5)[3]).toBe(0);
    for (const [x, y] of [[5, 5], [width - 5, height - 5], [width * 0.5, height * 0.1], [width * 0.1, height * 0.5]]) {
      expect(pixel(x, y)).toEqual([255, 255, 255, 255]);
    }
    let transparent = 0;
    for (let offset = 3; offset < mask.data.length; offset += 4) if (mask.data[offset] === 0) transparent += 1;
    const transparentShare = transparent / (width * height);
    expect(transparentShare).toBeGreaterThan(0.01);
    expect(transparentShare).toBeLessThan(0.2);

    await page.getByTestId('lineage-parent').getByRole('link', { name: `Job #${parent.id} (generate)` }).waitFor();
    await page.locator(`[data-testid="status-badge-${childId}"][data-status="awaiting_review"]`).waitFor({ timeout: 30_000 });
    await page.getByTestId('job-before-image').waitFor();
    await page.getByTestId('job-result-image').waitFor();
    await session.browser.screenshot('review-07-masked-edit-child');

    const child = await waitForJob(session.admin, childId, ['awaiting_review']);
    expect(child).toMatchObject({ parentJobId: parent.id, operation: 'edit', trigger: 'edit' });
    expect(child.result?.fileId).not.toBe(parent.result?.fileId);
  });

  it('bulk rejects a selected job: it leaves the review queue, nothing is attached, and the bulk bar goes away', async () => {
    const page = session.browser.page;
    const { documentId, job } = await articleAwaitingReview('Quiet Orchard');

    await session.browser.open('/admin/plugins/ai-assets?status=awaiting_review');
    await page.getByTestId(`job-row-${job.id}`).waitFor();
    await expect(page.getByTestId('bulk-actions').count()).resolves.toBe(0);
    await page.getByTestId(`select-job-${job.id}`).click();
    await page.getByTestId('bulk-actions').waitFor();
    await session.browser.screenshot('review-08-bulk-selected');
    await page.getByTestId('bulk-reject').click();

    await page.getByTestId(`job-row-${job.id}`).waitFor({ state: 'detached' });
    await page.getByTestId('bulk-actions').waitFor({ state: 'detached' });
    await expect(getJob(session.admin, job.id)).resolves.toMatchObject({ status: 'rejected', attachedField: null });
    expect((await findArticle(session.server.strapi, documentId, 'draft'))?.cover).toBeNull();
    await session.browser.screenshot('review-09-bulk-rejected');
  });
});
