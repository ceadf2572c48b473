/**
 * Keys never leave the server: a fault-heavy run whose every log line, admin API answer and job row is
 * searched for the key. Also: a custom provider type registered by the host app runs like a built-in one.
 */
import TransportStream from 'winston-transport';
import { FakeOpenAI } from '../fakes/fake-openai';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { FAST_QUEUE } from './support/configs';
import { api, createSuperAdmin, login } from './support/admin';
import { allJobs, createArticle, findArticle, waitForFirstJob, waitForJobStatus } from './support/jobs';

const API_KEY = 'sk-proj-SECRET-do-not-leak-42b7c9d1e3f5';
const FAULTS = ['echo_key', 'bad_key', 'rate_limit', 'server_error', 'malformed_json', 'truncated_body', 'moderation_blocked', 'insufficient_quota', 'org_verification', 'hang'] as const;

describe('secrets and custom providers', () => {
  let app: TestApp;
  let fake: FakeOpenAI;
  const logged: string[] = [];
  let logSpies: jest.SpyInstance[] = [];
  let capture: (chunk: unknown) => void = () => undefined;

  beforeAll(async () => {
    // Capture every line Strapi and the plugin print, from before boot, at debug level.
    capture = (chunk: unknown) => void logged.push(String(chunk));
    logSpies = [
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
        jest.spyOn(console, method).mockImplementation((...args: unknown[]) => capture(args.map(String).join(' ')))
      ),
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (capture(chunk), true)),
      jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (capture(chunk), true)),
    ];
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
    app = await bootPlayground({
      env: { LOG_LEVEL: 'debug' },
      config: {
        providers: {
          openai: { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 1500 },
          posters: { type: 'poster', color: '#2a9d8f' },
        },
        rules: [
          { id: 'leaky-cover', contentType: 'api::article.article', on: ['publish'], provider: 'openai', prompt: 'Cover for {{title}}', params: { size: '1024x1024', quality: 'low' }, target: 'cover', folder: 'AI Assets/Secrets' },
          { id: 'poster-photo', contentType: 'api::article.article', on: ['publish'], provider: 'posters', prompt: 'Poster: {{title}}', params: { width: 320, height: 200 }, output: { format: 'png' }, target: 'photo', folder: 'AI Assets/Posters' },
        ],
        queue: { ...FAST_QUEUE, maxAttempts: 2, backoffBaseMs: 50, maxBackoffMs: 200 },
      },
    });
    // Also listen on Strapi's logger itself: console capture alone depends on how jest wires consoles.
    class CaptureTransport extends TransportStream {
      override log(info: Record<string | symbol, unknown>, next: () => void) {
        capture(`${String(info.level)}: ${String(info.message)} ${JSON.stringify(info)}`);
        next();
      }
    }
    app.strapi.log.add(new CaptureTransport({ level: 'silly' }) as never);
    await createSuperAdmin(app.strapi);
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
    logSpies.forEach((spy) => spy.mockRestore());
    if (app) removeWorkDir(app.workDir);
  });

  it('runs a custom provider type registered from the host app register()', async () => {
    const article = await createArticle(app.strapi, { title: 'Custom Provider' });
    await app.strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
    const job = await waitForFirstJob(app.strapi, { rule: 'poster-photo', targetDocumentId: article.documentId });
    const done = await waitForJobStatus(app.strapi, job.id, ['succeeded']);
    expect(done.model).toBe('poster-1');
    const draft = await findArticle(app.strapi, article.documentId, 'draft');
    expect([draft?.photo?.width, draft?.photo?.height]).toEqual([320, 200]);
    // The publish also queued the openai rule; let it end here so it cannot take a fault injected by the next test.
    const cover = await waitForFirstJob(app.strapi, { rule: 'leaky-cover', targetDocumentId: article.documentId });
    expect((await waitForJobStatus(app.strapi, cover.id, ['succeeded'])).status).toBe('succeeded');
  });

  it('never shows the key in logs, admin API answers or job rows, whatever the provider does', async () => {
    const admin = api(app.strapi, await login(app.strapi, 'super@example.test'));
    const faulted: number[] = [];
    for (const fault of FAULTS) {
      fake.inject({ name: fault, path: '/images/generations' }, { times: 2 });
      const article = await createArticle(app.strapi, { title: `Leak test ${fault}` });
      await app.strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
      const job = await waitForFirstJob(app.strapi, { rule: 'leaky-cover', targetDocumentId: article.documentId });
      await waitForJobStatus(app.strapi, job.id, ['failed'], 20_000);
      faulted.push(job.id);
    }
    fake.inject({ name: 'echo_key', path: '/images/generations' });
    const providerTest = await admin.post('/ai-assets/providers/openai/test');
    expect(providerTest.body.data.ok).toBe(false);

    const jobs = await allJobs(app.strapi);
    const answers = [
      providerTest.text,
      (await admin.get('/ai-assets/jobs?pageSize=100')).text,
      (await admin.get('/ai-assets/settings')).text,
      (await admin.get('/ai-assets/stats')).text,
      ...(await Promise.all(jobs.map(async (job) => (await admin.get(`/ai-assets/jobs/${job.id}`)).text))),
    ];
    const rows = JSON.stringify(jobs);

    // The scenario really exercised the faults: failures were recorded and logged.
    expect(jobs.filter((job) => job.status === 'failed').map((job) => job.id).sort((a, b) => a - b)).toEqual(faulted.sort((a, b) => a - b));
    expect(logged.some((line) => line.includes('ai-assets: job'))).toBe(true);
    expect(JSON.parse((await admin.get('/ai-assets/settings')).text).data.providers.find((provider: { name: string }) => provider.name === 'openai')).toMatchObject({ configured: true });

    const keyFragment = API_KEY.slice(8); // a partial echo is a leak too
    for (const text of [...logged, ...answers, rows]) {
      expect(text).not.toContain(keyFragment);
    }
  });
});
