/**
 * Security hardening over real HTTP against the booted playground and the fake OpenAI server: template
 * injection by a limited editor, a provider echoing the key in every field, retry-after: 1e20, masks up to the
 * documented 4 MB as multipart, mask and answer bombs, and control characters in entries.
 */
import request from 'supertest';
import sharp from 'sharp';
import TransportStream from 'winston-transport';
import { FakeOpenAI } from '../fakes/fake-openai';
import { pngDeclaringSize } from '../fixtures/images';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { FAST_QUEUE } from './support/configs';
import { api, createSuperAdmin, createUserWithActions, login } from './support/admin';
import { allJobs, createArticle, jobById, waitForFirstJob, waitForJobStatus } from './support/jobs';
import { waitFor } from './support/wait';

const ARTICLE = 'api::article.article';
// Not shaped like an OpenAI key: only redaction by value can catch it.
const API_KEY = 'corp-gateway-KEY-5e1d9a7c3b2f4086';

const localRule = { id: 'local-cover', contentType: ARTICLE, on: ['publish'], provider: 'local', prompt: 'Cover for {{title}}', altText: 'Cover: {{title}}', caption: '{{summary}}', params: { size: '256x256' }, target: 'cover', folder: 'AI Assets/Security' };
const openaiRule = { id: 'openai-photo', contentType: ARTICLE, on: [], provider: 'openai', prompt: 'Photo for {{title}}', params: { size: '1024x1024', quality: 'low', model: 'gpt-image-1' }, target: 'photo', folder: 'AI Assets/Security' };

describe('security hardening', () => {
  let app: TestApp;
  let fake: FakeOpenAI;
  let superAdmin: ReturnType<typeof api>;
  let limited: ReturnType<typeof api>;
  const logged: string[] = [];

  /** Creates and publishes an article through the Content Manager, so `createdBy` is the super admin. */
  async function publishFromAdmin(data: Record<string, unknown>): Promise<string> {
    const created = await superAdmin.post(`/content-manager/collection-types/${ARTICLE}?locale=en`, data);
    expect(created.status).toBe(201);
    const documentId = created.body.data.documentId as string;
    expect((await superAdmin.post(`/content-manager/collection-types/${ARTICLE}/${documentId}/actions/publish?locale=en`, data)).status).toBe(200);
    return documentId;
  }

  async function succeededLocalJob(title: string, summary = 'A summary.') {
    const documentId = await publishFromAdmin({ title, summary });
    const queued = await waitForFirstJob(app.strapi, { targetDocumentId: documentId, rule: 'local-cover' });
    return waitForJobStatus(app.strapi, queued.id, ['succeeded']);
  }

  async function runOpenAIRule(title: string) {
    const article = await createArticle(app.strapi, { title });
    const run = await superAdmin.post('/ai-assets/rules/openai-photo/run', { documentId: article.documentId, locale: 'en' });
    expect(run.status).toBeLessThan(300);
    return waitForFirstJob(app.strapi, { targetDocumentId: article.documentId, rule: 'openai-photo' });
  }

  beforeAll(async () => {
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
    app = await bootPlayground({
      env: { LOG_LEVEL: 'debug' },
      config: {
        providers: { openai: { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 5000 } },
        defaultProvider: 'local',
        rules: [localRule, openaiRule],
        queue: { ...FAST_QUEUE, maxAttempts: 3, backoffBaseMs: 50, maxBackoffMs: 200 },
      },
    });
    class CaptureTransport extends TransportStream {
      override log(info: Record<string | symbol, unknown>, next: () => void) {
        logged.push(`${String(info.level)}: ${String(info.message)} ${JSON.stringify(info)}`);
        next();
      }
    }
    app.strapi.log.add(new CaptureTransport({ level: 'silly' }) as never);
    await createSuperAdmin(app.strapi);
    await createUserWithActions(app.strapi, 'limited@example.test', ['plugin::ai-assets.read', 'plugin::ai-assets.generate']);
    superAdmin = api(app.strapi, await login(app.strapi, 'super@example.test'));
    limited = api(app.strapi, await login(app.strapi, 'limited@example.test'));
  }, 420_000);
  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  describe('template injection', () => {
    it.each([
      ['regenerate', (id: number) => limited.post(`/ai-assets/jobs/${id}/regenerate`, { prompt: '[{{createdBy.email}}] [{{createdBy.password}}]' })],
      ['edit', (id: number) => limited.post(`/ai-assets/jobs/${id}/edit`, { prompt: 'Make it {{updatedBy.email}}', source: 'result' })],
      ['regenerate through a relation of the media file', (id: number) => limited.post(`/ai-assets/jobs/${id}/regenerate`, { prompt: '{{cover.createdBy.email}}' })],
      ['regenerate with a placeholder split by a NUL byte', (id: number) => limited.post(`/ai-assets/jobs/${id}/regenerate`, { prompt: '{{created\u0000By.email}}' })],
    ])('refuses a %s override reading the admin author with a 400 naming the field', async (_label, send) => {
      const parent = await succeededLocalJob(`Injection ${_label}`);
      const before = (await allJobs(app.strapi)).length;
      const answer = await send(parent.id);
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(/body\.prompt: template field "(cover\.)?(createdBy|updatedBy)\.email" is not readable by templates/);
      expect((await allJobs(app.strapi)).length).toBe(before);
      expect(JSON.stringify(await allJobs(app.strapi))).not.toContain('super@example.test');
    });

    it('still lets the limited editor regenerate with a template over the entry content', async () => {
      const parent = await succeededLocalJob('Harbour Lights');
      const answer = await limited.post(`/ai-assets/jobs/${parent.id}/regenerate`, { prompt: '{{title}} at night' });
      expect(answer.status).toBe(202);
      expect((await jobById(app.strapi, answer.body.data.id ?? answer.body.data.jobId)).prompt).toBe('Harbour Lights at night');
    });
  });

  describe('control characters in entries', () => {
    it('strips NUL, C0/C1 controls and bidi overrides from the rendered prompt, alt text and caption', async () => {
      // PostgreSQL text columns refuse NUL bytes outright (Strapi answers 500 before the plugin sees anything),
      // so the NUL case runs on the databases that store it.
      const nul = process.env.TEST_DATABASE === 'postgres' ? '' : '\u0000';
      const job = await succeededLocalJob(`Evil${nul} \u202Egnp.exe\u202C Title\u0007`, 'Sum\u2066mary\u2069\u0085 text');
      for (const text of [job.prompt, job.altText, job.caption]) expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
      expect(job.prompt).toBe('Cover for Evil gnp.exe Title');
      expect(job.caption).toBe('Summary text');
    });
  });

  describe('a provider echoing the key', () => {
    it('never stores, returns or logs the key echoed in revised_prompt, usage, x-request-id, error.param/code/type', async () => {
      fake.inject({ name: 'echo_key_success', path: '/images/generations' });
      const echoed = await runOpenAIRule('Echo success');
      const done = await waitForJobStatus(app.strapi, echoed.id, ['succeeded']);
      expect(done.revisedPrompt).toContain('[redacted]');
      expect(done.providerRequestId).toContain('[redacted]');

      fake.inject({ name: 'echo_key_fields', path: '/images/generations' }); // a 400: failed at once, not retried
      const failing = await runOpenAIRule('Echo fields');
      const failed = await waitFor(async () => ((await jobById(app.strapi, failing.id)).status === 'failed' ? jobById(app.strapi, failing.id) : null), { what: 'the echo job to fail' });
      expect(failed.errorMessage).toContain('[redacted]');

      const fragment = API_KEY.slice(10);
      const answers = [
        (await superAdmin.get(`/ai-assets/jobs/${echoed.id}`)).text,
        (await superAdmin.get(`/ai-assets/jobs/${failing.id}`)).text,
        (await superAdmin.get('/ai-assets/jobs?pageSize=100')).text,
      ];
      expect(logged.some((line) => line.includes(`job ${failing.id}`))).toBe(true);
      for (const text of [...answers, JSON.stringify(await allJobs(app.strapi)), ...logged]) expect(text).not.toContain(fragment);
    });
  });

  describe('retry-after: 1e20', () => {
    it('retries the job on the normal backoff instead of stalling it and the provider', async () => {
      fake.inject({ name: 'rate_limit', path: '/images/generations', retryAfterSeconds: 1e20 as number });
      const job = await runOpenAIRule('Huge retry-after');
      const done = await waitForJobStatus(app.strapi, job.id, ['succeeded'], 15_000);
      expect(done.attempts).toBe(2);
      // The provider was not paused: the next job runs at once.
      const next = await runOpenAIRule('After the huge retry-after');
      expect((await waitForJobStatus(app.strapi, next.id, ['succeeded'], 10_000)).attempts).toBe(1);
      expect(logged.join('\n')).not.toContain('Invalid time value');
    });
  });

  describe('masks', () => {
    /** A PNG with transparency whose noise keeps it from compressing: about `megabytes` MB. */
    async function noisyMask(megabytes: number): Promise<Buffer> {
      const side = Math.round(Math.sqrt((megabytes * 1024 * 1024) / 4));
      const pixels = Buffer.alloc(side * side * 4);
      for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index * 2654435761) >>> 24 ^ (index & 0xff);
      for (let index = 3; index < pixels.length; index += 4) pixels[index] = index % 8 === 3 ? 0 : 255;
      return sharp(pixels, { raw: { width: side, height: side, channels: 4 } }).png({ compressionLevel: 0 }).toBuffer();
    }
    const editWithFile = (id: number, mask: Buffer, token: string) =>
      request(app.strapi.server.httpServer)
        .post(`/ai-assets/jobs/${id}/edit`)
        .set('Authorization', `Bearer ${token}`)
        .field('prompt', 'Add a red sail')
        .field('source', 'result')
        .attach('mask', mask, { filename: 'mask.png', contentType: 'image/png' });

    it('accepts a ~3 MB mask sent as a multipart file and stores it on the child job', async () => {
      const parent = await succeededLocalJob('Mask three megabytes');
      const mask = await noisyMask(3);
      expect(mask.length).toBeGreaterThan(2.5 * 1024 * 1024);
      expect(mask.length).toBeLessThan(4 * 1024 * 1024);
      const answer = await editWithFile(parent.id, mask, await login(app.strapi, 'limited@example.test'));
      expect(answer.status).toBe(202);
      const child = await jobById(app.strapi, answer.body.data.id ?? answer.body.data.jobId);
      expect(Buffer.from(child.maskData, 'base64').equals(mask)).toBe(true);
    });

    it.each([
      ['a mask over 4 MB', () => noisyMask(4.5), /body\.mask: must be at most 4 MB/],
      ['a mask bomb declaring 50 MP', async () => pngDeclaringSize(10_000, 5_000), /body\.mask: .*media\.maxInputPixels/],
      ['a file that is not a PNG', async () => Buffer.from('GIF89a not a png at all'), /body\.mask: must be a PNG/],
    ])('refuses %s with a 400 naming body.mask', async (_label, makeMask, message) => {
      const parent = await succeededLocalJob(`Mask refused ${_label}`);
      const answer = await editWithFile(parent.id, await makeMask(), await login(app.strapi, 'super@example.test'));
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(message);
    });
  });

  describe('"Test provider" with a bomb answer', () => {
    it('refuses the image from its header instead of decoding it', async () => {
      fake.inject({ name: 'image_bytes', path: '/images/generations', image: pngDeclaringSize(10_000, 5_000) });
      const answer = await superAdmin.post('/ai-assets/providers/openai/test');
      expect(answer.body.data).toMatchObject({ ok: false, error: { code: 'image_too_large' } });
      expect(answer.body.data.error.message).toContain('media.maxInputPixels');
    });
  });
});
