/**
 * The backfill form's filter builder: pick the rule, switch to the builder, add conditions row by row (title
 * starts with, title is not, cover is empty), see them written as Strapi filter JSON, get an estimate that counts
 * exactly the entries those conditions match, and start that backfill. A filter the builder cannot show ($or)
 * falls back to JSON with a notice; JSON typed by hand comes back as rows.
 */
import { config, coverRule } from '../integration/support/configs';
import { createArticle } from '../integration/support/jobs';
import { waitForEntryJob } from './support/articles';
import { setupAdminSession } from './support/session';

const backfillRule = { ...coverRule, id: 'article-cover-backfill', on: [], review: false };

describe('backfill filter builder', () => {
  const session = setupAdminSession(config([backfillRule], { backfill: { pageSize: 2, tickMs: 200 } }));
  const kettles: string[] = [];

  beforeAll(async () => {
    for (let index = 0; index < 5; index += 1) {
      kettles.push((await createArticle(session.server.strapi, { title: `Kettle ${index}`, summary: 'Steel.' })).documentId);
    }
    await createArticle(session.server.strapi, { title: 'Toaster 0', summary: 'Chrome.' });
    // Kettle 0 already has a cover: the "cover is empty" row must leave it out.
    const run = await session.admin.post('/ai-assets/rules/article-cover-backfill/run', { documentId: kettles[0], locale: 'en' });
    expect(run.status).toBe(202);
    await waitForEntryJob(session.admin, kettles[0], ['succeeded']);
  });

  it('builds a filter row by row, estimates exactly the matching entries and starts it', async () => {
    const page = session.browser.page;
    await session.browser.open('/admin/plugins/ai-assets/backfills');
    await page.getByTestId('backfill-form').waitFor();
    await page.getByTestId('backfill-rule').click();
    await page.getByRole('option', { name: /^article-cover-backfill/ }).click();

    await page.getByTestId('filter-mode-builder').click();
    await page.locator('[data-testid="filter-builder"][data-mode="builder"]').waitFor();

    const pick = async (testId: string, option: string | RegExp) => {
      await page.getByTestId(testId).click();
      await page.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
    };
    // Row 0: title starts with "Kettle".
    await page.getByTestId('filter-add').click();
    await pick('filter-row-0-field', 'title');
    await pick('filter-row-0-operator', 'starts with');
    await page.getByTestId('filter-row-0-value').fill('Kettle');
    // Row 1: title is not "Kettle 4".
    await page.getByTestId('filter-add').click();
    await pick('filter-row-1-field', 'title');
    await pick('filter-row-1-operator', 'is not');
    // An incomplete row blocks the estimate.
    await expect(page.getByTestId('backfill-estimate-button').isDisabled()).resolves.toBe(true);
    await page.getByTestId('filter-row-1-value').fill('Kettle 4');
    // Row 2: cover is empty (no value to type).
    await page.getByTestId('filter-add').click();
    await pick('filter-row-2-field', 'cover');
    await pick('filter-row-2-operator', 'is empty');
    await expect(page.getByTestId('filter-row-2-value').count()).resolves.toBe(0);

    // The rows are the JSON the form sends.
    expect(JSON.parse(await page.getByTestId('backfill-filters').inputValue())).toEqual({
      $and: [{ title: { $startsWith: 'Kettle' } }, { title: { $ne: 'Kettle 4' } }, { cover: { $null: true } }],
    });
    await session.browser.screenshot('filter-builder-01-rows');

    await page.getByTestId('backfill-estimate-button').click();
    await page.getByTestId('backfill-estimate').waitFor();
    // Kettles 1-3: Kettle 0 has a cover, Kettle 4 is excluded, the toaster does not start with "Kettle".
    await expect(page.getByTestId('estimate-matched').textContent()).resolves.toContain('3');
    await expect(page.getByTestId('estimate-to-queue').textContent()).resolves.toContain('3');
    await session.browser.screenshot('filter-builder-02-estimate');

    // Removing a row drops the estimate and rewrites the JSON.
    await page.getByTestId('filter-row-1-remove').click();
    await expect(page.getByTestId('backfill-estimate').count()).resolves.toBe(0);
    expect(JSON.parse(await page.getByTestId('backfill-filters').inputValue())).toEqual({ $and: [{ title: { $startsWith: 'Kettle' } }, { cover: { $null: true } }] });
    await page.getByTestId('backfill-estimate-button').click();
    await page.getByTestId('backfill-estimate').waitFor();
    await expect(page.getByTestId('estimate-matched').textContent()).resolves.toContain('4');

    const start = page.getByTestId('backfill-start');
    await expect(start.textContent()).resolves.toContain('4');
    await start.click();
    await page.waitForURL((url) => /\/admin\/plugins\/ai-assets\/backfills\/\d+$/.test(url.pathname));
    const backfillId = Number(new URL(page.url()).pathname.split('/').pop());
    const backfill = await session.admin.get(`/ai-assets/backfills/${backfillId}`);
    // Stored as the server normalized it (media emptiness tests the related id).
    expect(backfill.body.data.filters).toEqual({ $and: [{ title: { $startsWith: 'Kettle' } }, { cover: { id: { $null: true } } }] });
    await page.locator(`[data-testid="backfill-status-${backfillId}"][data-status="done"]`).waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('backfill-count-succeeded').getAttribute('data-value')).resolves.toBe('4');
  });

  it('keeps a filter the builder cannot show in JSON, and shows hand-written JSON as rows', async () => {
    const page = session.browser.page;
    await session.browser.open('/admin/plugins/ai-assets/backfills');
    await page.getByTestId('backfill-rule').click();
    await page.getByRole('option', { name: /^article-cover-backfill/ }).click();

    await page.getByTestId('backfill-filters').fill('{ "$or": [{ "title": { "$eq": "Toaster 0" } }] }');
    await page.getByTestId('filter-mode-builder').click();
    await page.getByTestId('filter-builder-unshowable').waitFor();
    await expect(page.locator('[data-testid="filter-builder"]').getAttribute('data-mode')).resolves.toBe('json');

    await page.getByTestId('backfill-filters').fill('{ "title": { "$contains": "aster" }, "cover": { "$notNull": true } }');
    await page.getByTestId('filter-mode-builder').click();
    await page.locator('[data-testid="filter-builder"][data-mode="builder"]').waitFor();
    await expect(page.getByTestId('filter-row-0-value').inputValue()).resolves.toBe('aster');
    await expect(page.getByTestId('filter-row-0-operator').textContent()).resolves.toContain('contains');
    await expect(page.getByTestId('filter-row-1-field').textContent()).resolves.toContain('cover');
    await expect(page.getByTestId('filter-row-1-operator').textContent()).resolves.toContain('is not empty');
    await session.browser.screenshot('filter-builder-03-from-json');
  });
});
