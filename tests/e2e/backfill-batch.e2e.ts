/**
 * Batch mode from the admin: the backfill form offers the mode only for a rule on an OpenAI provider, the
 * estimate is at the batch price, and the progress view shows the OpenAI batch until the bar reads 100%.
 */
import { FakeOpenAI } from '../fakes/fake-openai';
import { config, coverRule } from '../integration/support/configs';
import { createArticle } from '../integration/support/jobs';
import { setupAdminSession } from './support/session';

const API_KEY = 'sk-proj-e2e-batch-KEY-9z8y7x6w';
const batchRule = {
  ...coverRule,
  id: 'article-cover-openai',
  on: [],
  review: false,
  provider: 'openai',
  params: { size: '1024x1024', quality: 'low' },
};
const localRule = { ...coverRule, id: 'article-cover-local', on: [], review: false };

describe('batch-mode backfill from the admin', () => {
  const pluginConfig = config([batchRule, localRule], {
    backfill: { pageSize: 5, tickMs: 200 },
    batch: { pollIntervalMs: 300, collectMs: 300, maxJobsPerBatch: 50, leaseMs: 5000 },
  }) as Record<string, any>;
  let fake: FakeOpenAI;
  // Registered before the session's own beforeAll: the fake's address goes into the config Strapi boots with.
  beforeAll(async () => {
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
    fake.batchApi.timing = { validatingMs: 50, inProgressMs: 1500 };
    pluginConfig.providers.openai = { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 10_000 };
  });
  afterAll(() => fake?.stop());
  const session = setupAdminSession(pluginConfig);

  it('offers batch mode for the OpenAI rule only, estimates at half price and follows the batch to 100%', async () => {
    for (let index = 0; index < 4; index += 1) await createArticle(session.server.strapi, { title: `Batch lamp ${index}`, summary: 'Glass.' });
    const page = session.browser.page;
    await session.browser.open('/admin/plugins/ai-assets/backfills');
    await page.getByTestId('backfill-form').waitFor();

    await page.getByTestId('backfill-rule').click();
    await page.getByRole('option', { name: /^article-cover-local/ }).click();
    await expect(page.getByTestId('backfill-mode').count()).resolves.toBe(0);

    await page.getByTestId('backfill-rule').click();
    await page.getByRole('option', { name: /^article-cover-openai/ }).click();
    await page.getByTestId('backfill-mode').click();
    await page.getByRole('option', { name: /OpenAI batch/ }).click();
    await page.getByTestId('backfill-filters').fill('{ "title": { "$startsWith": "Batch lamp" } }');
    await page.getByTestId('backfill-estimate-button').click();
    await page.getByTestId('backfill-estimate').waitFor();
    await expect(page.getByTestId('estimate-to-queue').textContent()).resolves.toContain('4');
    // 4 x $0.006 at half price.
    await expect(page.getByTestId('estimate-estimated').textContent()).resolves.toContain('$0.01');
    await session.browser.screenshot('backfill-batch-01-estimate');

    await page.getByTestId('backfill-start').click();
    await page.waitForURL((url) => /\/admin\/plugins\/ai-assets\/backfills\/\d+$/.test(url.pathname));
    await page.getByTestId('backfill-batches').waitFor();
    await page.locator('[data-testid="backfill-batch"][data-status="in_progress"]').waitFor({ timeout: 30_000 });
    await session.browser.screenshot('backfill-batch-02-in-progress');
    await page.locator('[data-testid="backfill-percent"][data-value="100"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="backfill-batch"][data-status="completed"]').waitFor();
    await expect(page.getByTestId('backfill-count-succeeded').getAttribute('data-value')).resolves.toBe('4');
    await expect(page.getByTestId('backfill-batch').textContent()).resolves.toMatch(/batch_fake\d+: completed · 4 of 4 done, 0 failed/);
    await session.browser.screenshot('backfill-batch-03-done');
    expect(fake.requestsTo('/v1/images/generations').filter((call) => !call.headers['x-fake-batch-line'])).toHaveLength(0);
  });
});
