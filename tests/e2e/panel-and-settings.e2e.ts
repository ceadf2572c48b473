/**
 * The entry side panel (prompt preview, jobs of the entry), the settings page (provider state without keys,
 * test provider, queue counts) and the plugin in French.
 */
import en from '../../admin/src/translations/en.json';
import fr from '../../admin/src/translations/fr.json';
import { config, coverRule } from '../integration/support/configs';
import { waitFor } from '../integration/support/wait';
import { getJob, publishArticle, waitForEntryJob, waitForJob } from './support/articles';
import { openBrowser } from './support/browser';
import { SUPER_ADMIN, setupAdminSession } from './support/session';

const reviewRule = { ...coverRule, id: 'article-cover-review', review: true };
// Run by hand only, on the provider whose server is unreachable: its jobs fail after their attempts.
const offlineRule = { ...coverRule, id: 'article-photo-offline', on: [], provider: 'keyed', target: 'photo', review: true };
const SECRET_KEY = 'sk-e2e-secret-never-shown';
// Both OpenAI providers point at a closed local port: nothing here may leave the machine.
const providers = {
  studio: { type: 'local' },
  keyed: { type: 'openai', apiKey: SECRET_KEY, baseUrl: 'http://127.0.0.1:9/v1' },
  keyless: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' },
};

/** English plugin strings (without placeholders) that French replaces: none of them may show in the French UI. */
const frenchByKey: Record<string, string> = fr;
const englishOnly = Object.entries(en)
  .filter(([key, value]) => !value.includes('{') && frenchByKey[key] !== undefined && frenchByKey[key] !== value)
  .map(([, value]) => value);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const englishLeftIn = (text: string) =>
  englishOnly.filter((value) => new RegExp(`(^|[^\\p{L}])${escapeRegExp(value)}($|[^\\p{L}])`, 'u').test(text));

describe('side panel, settings and French UI', () => {
  const session = setupAdminSession(config([reviewRule, offlineRule], { providers }));
  let documentId: string;
  let jobId: number;

  beforeAll(async () => {
    documentId = await publishArticle(session.admin, 'Night Market');
    jobId = (await waitForEntryJob(session.admin, documentId, ['awaiting_review'])).id;
  });

  it('lists the entry’s job in the edit view side panel and previews the rendered prompt of its rule', async () => {
    const page = session.browser.page;
    await session.browser.open(`/admin/content-manager/collection-types/api::article.article/${documentId}?plugins[i18n][locale]=en`);
    const panel = page.getByTestId('ai-assets-side-panel');
    await panel.waitFor();
    await panel.locator(`[data-testid="status-badge-${jobId}"][data-status="awaiting_review"]`).waitFor();
    await expect(panel.getByTestId(`panel-attach-${jobId}`).isVisible()).resolves.toBe(true);

    await panel.getByTestId('panel-preview-article-cover-review').click();
    const output = panel.getByTestId('preview-prompt-output');
    await output.waitFor();
    await expect(output.getAttribute('data-rule')).resolves.toBe('article-cover-review');
    await expect(panel.getByTestId('preview-prompt-text').textContent()).resolves.toBe('Editorial illustration for "Night Market". About Night Market.');
    // Same inputs as the job already made: the preview says generating again would reuse it.
    await expect(output.textContent()).resolves.toContain(`Same inputs as job #${jobId}`);
    await output.scrollIntoViewIfNeeded();
    await session.browser.screenshot('panel-01-side-panel-preview-prompt');
  });

  it('shows each provider’s state without ever showing a key, tests a provider, and counts the queue', async () => {
    const page = session.browser.page;
    await session.browser.open('/admin/settings/ai-assets');
    await page.getByTestId('ai-assets-settings').waitFor();
    await expect(page.getByTestId('provider-state-studio').textContent()).resolves.toBe('Configured');
    await expect(page.getByTestId('provider-state-keyed').textContent()).resolves.toBe('Configured');
    await expect(page.getByTestId('provider-state-keyless').textContent()).resolves.toContain('Key missing');
    await expect(page.getByTestId('provider-row-keyless').textContent()).resolves.toContain('API key missing');
    await page.getByTestId('rule-article-cover-review').waitFor();
    await expect(page.getByTestId('queue-count-awaiting_review').textContent()).resolves.toBe('1');

    await page.getByTestId('provider-test-studio').click();
    const result = page.locator('[data-testid="provider-test-result-studio"][data-ok="true"]');
    await result.waitFor({ timeout: 30_000 });
    const image = result.locator('img');
    await expect(image.getAttribute('src')).resolves.toMatch(/^data:image\//);
    await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await image.elementHandle());

    await page.getByTestId('provider-test-keyless').click();
    const failed = page.locator('[data-testid="provider-test-result-keyless"][data-ok="false"]');
    await failed.waitFor({ timeout: 30_000 });
    await expect(failed.textContent()).resolves.toMatch(/^Failed: /);

    const html = await page.content();
    expect(html).not.toContain(SECRET_KEY);
    await session.browser.screenshot('panel-02-settings-providers-queue');
  });

  it('explains a job that failed after all its attempts and lets the editor retry it', async () => {
    const page = session.browser.page;
    const offlineDocumentId = await publishArticle(session.admin, 'Lost Signal');
    const run = await session.admin.post('/ai-assets/rules/article-photo-offline/run', { documentId: offlineDocumentId, locale: 'en' });
    expect(run.status).toBe(202);
    const failed = await waitForJob(session.admin, run.body.data.jobId, ['failed']);
    expect(failed.attempts).toBe(3);

    await session.browser.open(`/admin/plugins/ai-assets/jobs/${failed.id}`);
    await page.locator(`[data-testid="status-badge-${failed.id}"][data-status="failed"]`).waitFor();
    const error = page.getByTestId('job-error');
    await expect(error.textContent()).resolves.toContain('This error will not be retried automatically.');
    await expect(error.textContent()).resolves.not.toMatch(/ECONNREFUSED|undici|stack/i);
    await expect(page.getByTestId('job-attempts').locator('tbody tr').count()).resolves.toBe(3);
    await expect(page.getByTestId('action-cancel').count()).resolves.toBe(0);
    await session.browser.screenshot('panel-03-failed-job');

    const retried = page.waitForResponse((response) => response.url().endsWith(`/ai-assets/jobs/${failed.id}/retry`));
    await page.getByTestId('action-retry').click();
    const answer = await (await retried).json();
    expect(answer.data.status).toBe('queued');
    await page.getByText('Back in the queue').waitFor();
    // The worker really runs it again (and fails again): the page follows it and lists the new attempts after the old.
    await waitForJob(session.admin, failed.id, ['failed']).then((job) => expect(job.attemptLog).toHaveLength(6));
    await waitFor(async () => (await page.getByTestId('job-attempts').locator('tbody tr').count()) === 6, { what: 'six attempt rows' });
    await page.locator(`[data-testid="status-badge-${failed.id}"][data-status="failed"]`).waitFor();
    await session.browser.screenshot('panel-04-failed-job-retried');
  });

  it('speaks French on the queue, job and settings pages when the admin language is fr', async () => {
    const french = await openBrowser(session.server.baseUrl, { locale: 'fr' });
    try {
      await french.login(SUPER_ADMIN);
      const page = french.page;

      await french.open('/admin/plugins/ai-assets');
      await page.getByText(fr['jobs.subtitle']).waitFor();
      await expect(page.getByTestId(`status-badge-${jobId}`).textContent()).resolves.toBe(fr['status.awaiting_review']);
      expect(englishLeftIn(await page.locator('main').innerText())).toEqual([]);
      await french.screenshot('panel-05-fr-queue');

      await french.open(`/admin/plugins/ai-assets/jobs/${jobId}`);
      await page.getByTestId('job-detail').waitFor();
      await expect(page.getByTestId('action-approve').textContent()).resolves.toBe(fr['actions.approve']);
      await expect(page.getByTestId('job-trigger').textContent()).resolves.toBe(fr['trigger.publish']);
      await expect(page.getByTestId('job-operation').textContent()).resolves.toBe(fr['operation.generate']);
      expect(englishLeftIn(await page.locator('main').innerText())).toEqual([]);
      await french.screenshot('panel-06-fr-job-detail');

      await french.open('/admin/settings/ai-assets');
      await page.getByTestId('ai-assets-settings').waitFor();
      await expect(page.getByTestId('provider-state-studio').textContent()).resolves.toBe(fr['providers.configured']);
      expect(englishLeftIn(await page.locator('main').innerText())).toEqual([]);
      await french.screenshot('panel-07-fr-settings');

      expect(french.takeProblems()).toEqual([]);
    } finally {
      await french.close();
    }
  });
});
