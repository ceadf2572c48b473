/**
 * A backfill from the admin: articles without covers, the Backfill action on the plugin page, a rule and an
 * entry filter, the estimate (nothing queued yet), Start, and the progress view polling until the bar reads 100%
 * (then it stops polling). The settings page lists the budget with this month's spend.
 */
import { config, coverRule } from '../integration/support/configs';
import { createArticle } from '../integration/support/jobs';
import { getArticleDraft } from './support/articles';
import { setupAdminSession } from './support/session';

// Only backfills run this rule: nothing is generated when the articles are created.
const backfillRule = { ...coverRule, id: 'article-cover-backfill', on: [], review: false };
const slowRule = { ...backfillRule, id: 'article-photo-slow', target: 'photo', params: { ...coverRule.params, delayMs: 3000 } };

describe('backfill from the admin', () => {
  const session = setupAdminSession(
    config([backfillRule, slowRule], { budgets: [{ provider: 'studio', monthlyUsd: 5 }], backfill: { pageSize: 2, tickMs: 200 } })
  );
  const kettles: string[] = [];
  const toasters: string[] = [];

  beforeAll(async () => {
    for (let index = 0; index < 5; index += 1) {
      kettles.push((await createArticle(session.server.strapi, { title: `Kettle ${index}`, summary: 'Steel.' })).documentId);
    }
    for (let index = 0; index < 2; index += 1) {
      toasters.push((await createArticle(session.server.strapi, { title: `Toaster ${index}`, summary: 'Chrome.' })).documentId);
    }
  });

  it('estimates a filtered backfill, starts it only on confirmation and follows it to 100%', async () => {
    const page = session.browser.page;
    await session.browser.open('/admin/plugins/ai-assets?status=all');
    await page.getByTestId('open-backfills').click();
    await page.waitForURL((url) => url.pathname === '/admin/plugins/ai-assets/backfills');
    await page.getByTestId('backfill-form').waitFor();

    await page.getByTestId('backfill-rule').click();
    await page.getByRole('option', { name: /^article-cover-backfill/ }).click();
    // The preset writes the rule's target as an empty-field condition.
    await page.getByTestId('backfill-preset-empty').click();
    expect(JSON.parse(await page.getByTestId('backfill-filters').inputValue())).toEqual({ cover: { $null: true } });
    // Invalid JSON cannot be estimated.
    await page.getByTestId('backfill-filters').fill('{ "title": ');
    await expect(page.getByTestId('backfill-estimate-button').isDisabled()).resolves.toBe(true);
    await page.getByTestId('backfill-filters').fill('{ "title": { "$startsWith": "Kettle" }, "cover": { "$null": true } }');
    await page.getByTestId('backfill-estimate-button').click();

    const estimate = page.getByTestId('backfill-estimate');
    await estimate.waitFor();
    await expect(page.getByTestId('estimate-matched').textContent()).resolves.toContain('5');
    await expect(page.getByTestId('estimate-to-queue').textContent()).resolves.toContain('5');
    await expect(page.getByTestId('estimate-skipped').textContent()).resolves.toContain('0');
    await expect(page.getByTestId('estimate-estimated').textContent()).resolves.toContain('$0.00');
    await session.browser.screenshot('backfill-01-estimate');

    // The estimate queued nothing.
    const before = await session.admin.get('/ai-assets/jobs?rule=article-cover-backfill');
    expect(before.body.pagination.total).toBe(0);

    const start = page.getByTestId('backfill-start');
    await expect(start.textContent()).resolves.toContain('5');
    await start.click();
    await page.waitForURL((url) => /\/admin\/plugins\/ai-assets\/backfills\/\d+$/.test(url.pathname));
    const backfillId = Number(new URL(page.url()).pathname.split('/').pop());

    // The page polls on its own: no reload until the bar is full.
    await page.locator('[data-testid="backfill-percent"][data-value="100"]').waitFor({ timeout: 60_000 });
    await page.locator(`[data-testid="backfill-status-${backfillId}"][data-status="done"]`).waitFor();
    await page.locator('[data-testid="backfill-progress-bar"][data-value="100"] [role="progressbar"]').waitFor();
    await expect(page.getByTestId('backfill-count-succeeded').getAttribute('data-value')).resolves.toBe('5');
    await expect(page.getByTestId('backfill-count-failed').getAttribute('data-value')).resolves.toBe('0');
    await expect(page.getByTestId('backfill-progress-text').textContent()).resolves.toContain('5 of 5 jobs done');
    await expect(page.getByTestId('backfill-action-pause').count()).resolves.toBe(0);
    await expect(page.getByTestId('backfill-action-cancel').count()).resolves.toBe(0);
    await session.browser.screenshot('backfill-02-done');

    // Exactly the filtered entries got a cover.
    for (const documentId of kettles) expect((await getArticleDraft(session.admin, documentId)).cover?.id).toEqual(expect.any(Number));
    for (const documentId of toasters) expect((await getArticleDraft(session.admin, documentId)).cover ?? null).toBeNull();

    // Done is final: the view stops polling.
    let polls = 0;
    const onRequest = (request: { url(): string }) => {
      if (request.url().includes(`/ai-assets/backfills/${backfillId}`)) polls += 1;
    };
    page.on('request', onRequest);
    await page.waitForTimeout(5000);
    page.off('request', onRequest);
    expect(polls).toBe(0);

    // The list shows it.
    await page.goBack();
    await page.getByTestId(`backfill-row-${backfillId}`).waitFor();
    await page.locator(`[data-testid="backfill-status-${backfillId}"][data-status="done"]`).waitFor();
    // ...and who started it (createSuperAdmin names the admin "Super Admin").
    expect(await page.getByTestId(`backfill-started-by-${backfillId}`).textContent()).toBe('Super Admin');
  });

  it('pauses, resumes and cancels from the progress view', async () => {
    const page = session.browser.page;
    // Every article's empty photo, 3 s per image, two at a time: the run lasts long enough to be caught running.
    const created = await session.admin.post('/ai-assets/backfills', { ruleId: 'article-photo-slow', filters: {}, dryRun: true });
    expect(created.status).toBe(200);
    const id = created.body.data.id as number;
    const status = (value: string) => page.locator(`[data-testid="backfill-status-${id}"][data-status="${value}"]`);

    await session.browser.open(`/admin/plugins/ai-assets/backfills/${id}`);
    await status('ready').waitFor();
    await page.getByTestId('backfill-action-start').click();
    await status('running').waitFor();
    await page.getByTestId('backfill-live').waitFor();

    await page.getByTestId('backfill-action-pause').click();
    await status('paused').waitFor();
    await expect(page.getByTestId('backfill-live').count()).resolves.toBe(0);
    await page.getByTestId('backfill-action-resume').click();
    await status('running').waitFor();

    await page.getByTestId('backfill-action-cancel').click();
    await status('canceled').waitFor();
    await expect(page.getByTestId('backfill-action-resume').count()).resolves.toBe(0);
    // Its queued jobs were canceled (running ones may finish): the count shows it once they are counted.
    await page.locator('[data-testid="backfill-count-canceled"]:not([data-value="0"])').waitFor();
    await session.browser.screenshot('backfill-03-canceled');
  });

  it('lists the budget and this month’s spend on the settings page', async () => {
    const page = session.browser.page;
    await session.browser.open('/admin/settings/ai-assets');
    const budgets = page.getByTestId('settings-budgets');
    await budgets.waitFor();
    const row = page.getByTestId('budget-row-studio-*-monthly');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('studio');
    await expect(page.getByTestId('budget-spent-studio-*-monthly').textContent()).resolves.toBe('$0.00 / $5.00');
    await session.browser.screenshot('backfill-04-budgets');
  });
});
