/**
 * A job's life as the queue and job pages show it: live updates that stop once nothing is in flight, canceling a
 * running job, and approving a result into another media field of the entry than the rule's target.
 */
import type { Request } from 'playwright-core';
import { config, coverRule } from '../integration/support/configs';
import { getArticleDraft, getJob, publishArticle, waitForEntryJob, waitForJob } from './support/articles';
import { requestsDuring, watchRequests } from './support/browser';
import { setupAdminSession } from './support/session';

// The local provider waits 4 s per image: long enough to see a job running, cancel it, and watch it poll.
const slowRule = { ...coverRule, id: 'article-cover-slow', review: true, params: { ...coverRule.params, delayMs: 4000 } };
// The admin polls every 2 s while something is in flight: 5 s without a request means polling has stopped.
const QUIET_WINDOW_MS = 5000;

const isJobsRequest = (request: Request) => request.method() === 'GET' && new URL(request.url()).pathname.startsWith('/ai-assets/jobs');
const IN_FLIGHT = ':is([data-status="queued"], [data-status="running"])';

describe('job lifecycle in the admin', () => {
  const session = setupAdminSession(config([slowRule]));

  const badge = (id: number, status: string) => session.browser.page.locator(`[data-testid="status-badge-${id}"][data-status="${status}"]`);

  it('polls the queue while a job is in flight and sends no more job requests once it is final', async () => {
    const page = session.browser.page;
    const documentId = await publishArticle(session.admin, 'Tide Pools');
    const job = await waitForEntryJob(session.admin, documentId, ['queued', 'running']);

    const polls = watchRequests(page, isJobsRequest);
    await session.browser.open('/admin/plugins/ai-assets?status=all');
    await page.locator(`[data-testid="status-badge-${job.id}"]${IN_FLIGHT}`).waitFor();
    await page.getByText('Jobs in progress: this list updates every 2 seconds.').waitFor();
    for (const filter of ['filter-status', 'filter-content-type', 'filter-rule', 'filter-from', 'filter-to']) {
      await expect(page.getByTestId(filter).isVisible()).resolves.toBe(true);
    }
    await session.browser.screenshot('lifecycle-01-queue-job-in-flight');

    await badge(job.id, 'awaiting_review').waitFor({ timeout: 30_000 });
    polls.stop();
    // The first load plus at least one poll: the badge changed because the page asked again, not by chance.
    expect(polls.seen.length).toBeGreaterThanOrEqual(2);
    await page.getByText('Jobs in progress: this list updates every 2 seconds.').waitFor({ state: 'detached' });
    await session.browser.screenshot('lifecycle-02-queue-job-final');

    expect(await requestsDuring(page, isJobsRequest, QUIET_WINDOW_MS)).toEqual([]);
  });

  it('fits the job list in 1440x900 with a long title: the title is cut, whole on hover, and every row can be opened', async () => {
    const page = session.browser.page;
    const title = 'A Very Long Article Title About the Tide Pools of the Northern Coast, Their Anemones and Their Keepers';
    const documentId = await publishArticle(session.admin, title);
    const job = await waitForEntryJob(session.admin, documentId, ['queued', 'running']);
    await session.browser.open('/admin/plugins/ai-assets?status=all');
    await badge(job.id, 'awaiting_review').waitFor({ timeout: 30_000 });

    const link = page.getByTestId(`job-entry-link-${job.id}`);
    expect(await link.getAttribute('title')).toBe(title);
    expect(await link.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    // Nothing scrolls sideways (no ancestor of the table, nor the page), and every row's open button is in view.
    const overflow = await page.getByTestId('jobs-table').evaluate((table) => {
      const clipped: string[] = [];
      for (let element: HTMLElement | null = table as HTMLElement; element; element = element.parentElement) {
        if (element.scrollWidth > element.clientWidth) clipped.push(`${element.tagName} by ${element.scrollWidth - element.clientWidth}px`);
      }
      return clipped;
    });
    expect(overflow).toEqual([]);
    const rights = await page.locator('[data-testid^="job-open-"]').evaluateAll((buttons) => buttons.map((button) => button.getBoundingClientRect().right));
    expect(rights.length).toBeGreaterThan(0);
    for (const right of rights) expect(right).toBeLessThanOrEqual(1440);
    await session.browser.screenshot('lifecycle-02b-queue-long-title');
  });

  it('polls a job page until the job is final, then stops', async () => {
    const page = session.browser.page;
    const documentId = await publishArticle(session.admin, 'Moss Garden');
    const job = await waitForEntryJob(session.admin, documentId, ['queued', 'running']);

    const polls = watchRequests(page, (request) => isJobsRequest(request) && request.url().endsWith(`/ai-assets/jobs/${job.id}`));
    await session.browser.open(`/admin/plugins/ai-assets/jobs/${job.id}`);
    await page.locator(`[data-testid="status-badge-${job.id}"]${IN_FLIGHT}`).waitFor();
    await badge(job.id, 'awaiting_review').waitFor({ timeout: 30_000 });
    polls.stop();
    expect(polls.seen.length).toBeGreaterThanOrEqual(2);
    await page.getByTestId('job-result-image').waitFor();
    await session.browser.screenshot('lifecycle-03-job-page-final');

    expect(await requestsDuring(page, isJobsRequest, QUIET_WINDOW_MS)).toEqual([]);
  });

  it('cancels a running job from its page: Cancel shows only while it runs, then the job is canceled and retryable', async () => {
    const page = session.browser.page;
    const documentId = await publishArticle(session.admin, 'Slow River');
    const job = await waitForEntryJob(session.admin, documentId, ['queued', 'running']);

    await session.browser.open(`/admin/plugins/ai-assets/jobs/${job.id}`);
    await badge(job.id, 'running').waitFor();
    const cancel = page.getByTestId('action-cancel');
    await expect(cancel.isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('action-retry').count()).resolves.toBe(0);
    await session.browser.screenshot('lifecycle-04-job-running-cancel');

    await cancel.click();
    await badge(job.id, 'canceled').waitFor();
    await cancel.waitFor({ state: 'detached' });
    await page.getByTestId('action-retry').waitFor();
    await session.browser.screenshot('lifecycle-05-job-canceled');

    const canceled = await getJob(session.admin, job.id);
    expect(canceled).toMatchObject({ status: 'canceled', result: null, attachedField: null });
    expect((await getArticleDraft(session.admin, documentId)).cover ?? null).toBeNull();
  });

  it('approves into another media field picked in approve-field: photo gets the file, cover stays empty', async () => {
    const page = session.browser.page;
    const documentId = await publishArticle(session.admin, 'Lantern Festival');
    const job = await waitForEntryJob(session.admin, documentId, ['awaiting_review']);

    await session.browser.open(`/admin/plugins/ai-assets/jobs/${job.id}`);
    await expect(page.getByTestId('job-trigger').textContent()).resolves.toBe('Entry published');
    await expect(page.getByTestId('job-operation').textContent()).resolves.toBe('Generate an image');
    await page.getByTestId('action-approve').click();
    await page.getByTestId('approve-field').click();
    await page.getByRole('option', { name: 'photo', exact: true }).click();
    await expect(page.getByTestId('approve-field').textContent()).resolves.toContain('photo');
    await session.browser.screenshot('lifecycle-06-approve-into-photo');

    await page.getByTestId('approve-confirm').click();
    await badge(job.id, 'approved').waitFor();
    await expect(page.getByTestId('job-facts').textContent()).resolves.toContain('photo · ');
    await session.browser.screenshot('lifecycle-07-approved-into-photo');

    const approved = await waitForJob(session.admin, job.id, ['approved']);
    expect(approved).toMatchObject({ attachedField: 'photo', targetField: 'cover' });
    const draft = await getArticleDraft(session.admin, documentId);
    expect(draft.photo?.id).toBe(approved.result?.fileId);
    expect(draft.cover ?? null).toBeNull();
  });
});
