/**
 * Watching an image being made: a rule on the `openai` provider streams from the fake OpenAI (partial frames
 * two seconds apart); the job page and the side panel show the latest partial frame, blurred, with the elapsed
 * time, before the final image replaces it.
 */
import { FakeOpenAI } from '../fakes/fake-openai';
import { config, coverRule } from '../integration/support/configs';
import { createEntry, publishArticle, waitForEntryJob, waitForJob } from './support/articles';
import { setupAdminSession } from './support/session';

const API_KEY = 'sk-proj-e2e-streaming-0c4f1a9d';
const FRAME_DELAY_MS = 2000;
const streamedRule = { ...coverRule, id: 'article-cover-streamed', provider: 'openai', review: true, params: { size: '1024x1024', quality: 'low', partial_images: 3 } };

describe('live preview of a streaming job', () => {
  const fake = new FakeOpenAI({ apiKey: API_KEY });
  const pluginConfig = config([streamedRule], { providers: { openai: { type: 'openai', apiKey: API_KEY, baseUrl: 'set once the fake listens', timeoutMs: 60_000 } } });
  beforeAll(async () => {
    await fake.start();
    fake.streaming.frameDelayMs = FRAME_DELAY_MS;
    (pluginConfig.providers as Record<string, Record<string, unknown>>).openai.baseUrl = `${fake.url}/v1`;
  });
  const session = setupAdminSession(pluginConfig);
  afterAll(() => fake.stop());

  it('shows partial frames on the job page, only ever moving forward, then the final image', async () => {
    const page = session.browser.page;
    const documentId = await publishArticle(session.admin, 'Glass Harbour');
    const job = await waitForEntryJob(session.admin, documentId, ['queued', 'running']);
    await session.browser.open(`/admin/plugins/ai-assets/jobs/${job.id}`);

    const preview = page.getByTestId(`live-preview-${job.id}`);
    await preview.waitFor({ timeout: 15_000 });
    const image = page.getByTestId(`live-preview-image-${job.id}`);
    await image.waitFor({ timeout: 15_000 });
    const first = Number(await preview.getAttribute('data-frame-index'));
    await expect(image.evaluate((element) => getComputedStyle(element).filter)).resolves.toMatch(/^blur\(/);
    await expect(page.getByTestId(`live-preview-elapsed-${job.id}`).textContent()).resolves.toMatch(/^Step \d · \d+ sec$/);
    expect(await page.getByTestId('job-result-image').count()).toBe(0);
    await session.browser.screenshot('live-preview-01-first-frame');

    // Every frame shown from now on is recorded: when the page loaded early enough to see several, they only go forward.
    await preview.evaluate((element) => {
      const seen = [element.getAttribute('data-frame-index') ?? ''];
      (window as unknown as { framesSeen: string[] }).framesSeen = seen;
      new MutationObserver(() => seen.push(element.getAttribute('data-frame-index') ?? '')).observe(element, { attributes: true, attributeFilter: ['data-frame-index'] });
    });

    await page.getByTestId('job-result-image').waitFor({ timeout: 30_000 });
    await expect(preview.count()).resolves.toBe(0);
    const seen = (await page.evaluate(() => (window as unknown as { framesSeen: string[] }).framesSeen)).filter(Boolean).map(Number);
    expect(seen[0]).toBe(first);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    await waitForJob(session.admin, job.id, ['awaiting_review']);
    await session.browser.screenshot('live-preview-02-final-image');
    expect(fake.requestsTo('/images/generations').at(-1)?.json).toMatchObject({ stream: true, partial_images: 3 });
  });

  it('shows the running job\'s partial frame in the Content Manager side panel', async () => {
    const page = session.browser.page;
    // A draft (no publish, so no job yet): the job starts from the panel, with the panel already on screen.
    const documentId = await createEntry(session.admin, 'api::article.article', { title: 'Salt Flats', summary: 'About salt.' }, 'en');
    await session.browser.open(`/admin/content-manager/collection-types/api::article.article/${documentId}?plugins[i18n][locale]=en`);
    const panel = page.getByTestId('ai-assets-side-panel');
    const run = page.waitForResponse((response) => response.url().endsWith(`/ai-assets/rules/${streamedRule.id}/run`));
    await panel.getByTestId(`panel-generate-${streamedRule.id}`).click();
    const jobId = ((await (await run).json()) as { data: { jobId: number } }).data.jobId;

    await panel.getByTestId(`live-preview-image-${jobId}`).waitFor({ timeout: 20_000 });
    await expect(panel.getByTestId(`live-preview-elapsed-${jobId}`).textContent()).resolves.toMatch(/^Step \d · \d+ sec$/);
    await session.browser.screenshot('live-preview-04-side-panel');
    await panel.locator(`[data-testid="status-badge-${jobId}"][data-status="awaiting_review"]`).waitFor({ timeout: 30_000 });
    await expect(panel.getByTestId(`live-preview-${jobId}`).count()).resolves.toBe(0);
  });
});
