/**
 * The playground Strapi with rules on the `openai` provider pointed at the fake OpenAI server: publish ->
 * generate -> attach, a masked edit rule, injected faults ending in the right job states, and no request
 * sent before retry-after.
 */
import sharp from 'sharp';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Core } from '@strapi/strapi';
import { FakeOpenAI } from '../fakes/fake-openai';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { FAST_QUEUE } from './support/configs';
import { createArticle, findArticle, waitForFirstJob, waitForJobStatus } from './support/jobs';

const API_KEY = 'sk-proj-integration-KEY-7f3a9c1e5b';

const generateRule = {
  id: 'openai-cover',
  contentType: 'api::article.article',
  on: ['publish'],
  provider: 'openai',
  prompt: 'Editorial illustration for "{{title}}"',
  params: { size: '1024x1024', quality: 'low' },
  output: { format: 'webp', quality: 80, width: 600, height: 315, fit: 'cover' },
  target: 'cover',
  folder: 'AI Assets/OpenAI',
};
const maskedEditRule = {
  id: 'openai-photo-edit',
  contentType: 'api::article.article',
  on: ['update'],
  operation: 'edit',
  source: 'photo',
  mask: 'photoMask',
  provider: 'openai',
  prompt: 'Replace the sky in the photo of "{{title}}" with a sunset',
  params: { size: '1024x1024', quality: 'low' },
  output: { format: 'png', width: 512, height: 512 },
  target: 'gallery',
  onlyIfEmpty: false,
};

async function uploadImage(strapi: Core.Strapi, name: string, data: Buffer): Promise<number> {
  const filepath = path.join(mkdtempSync(path.join(tmpdir(), 'ai-assets-img-')), name);
  writeFileSync(filepath, data);
  const [file] = await strapi.plugin('upload').service('upload').upload({
    data: { fileInfo: { name } },
    files: { filepath, originalFilename: name, mimetype: 'image/png', size: data.length },
  });
  return file.id;
}

describe('openai provider in a real Strapi', () => {
  let app: TestApp;
  let fake: FakeOpenAI;

  beforeAll(async () => {
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
    app = await bootPlayground({
      config: {
        providers: { openai: { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 5000 } },
        rules: [generateRule, maskedEditRule],
        queue: { ...FAST_QUEUE, maxAttempts: 3, backoffBaseMs: 100 },
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  async function publishArticle(title: string) {
    const article = await createArticle(app.strapi, { title });
    await app.strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
    return waitForFirstJob(app.strapi, { rule: 'openai-cover', targetDocumentId: article.documentId }).then((job) => ({ article, job }));
  }

  it('publishes, generates through the API and attaches, keeping request id, usage and cost on the job', async () => {
    const before = fake.requestsTo('/images/generations').length;
    const { article, job } = await publishArticle('Copper Rooftops');
    const done = await waitForJobStatus(app.strapi, job.id, ['succeeded']);
    const calls = fake.requestsTo('/images/generations').slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0].json).toMatchObject({ model: 'gpt-image-2', prompt: 'Editorial illustration for "Copper Rooftops"', size: '1024x1024', quality: 'low' });
    expect(calls[0].json).not.toHaveProperty('response_format');
    expect(done.providerRequestId).toMatch(/^req_fake_/);
    expect(done.model).toBe('gpt-image-2');
    expect(Number(done.costUsd)).toBeCloseTo(0.006, 5);
    expect(done.usage).toEqual(expect.objectContaining({}));
    const draft = await findArticle(app.strapi, article.documentId, 'draft');
    expect([draft?.cover?.mime, draft?.cover?.width, draft?.cover?.height]).toEqual(['image/webp', 600, 315]);
  });

  it('edits the entry photo with the mask from its mask field (multipart image + PNG mask with alpha)', async () => {
    const photo = await uploadImage(app.strapi, 'photo.png', await sharp({ create: { width: 1024, height: 1024, channels: 3, background: '#3a6ea5' } }).png().toBuffer());
    // dest-out erases the sheet wherever this opaque block lies: the top half becomes transparent (the area to edit).
    const transparentTop = await sharp({ create: { width: 1024, height: 512, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } }).png().toBuffer();
    const maskPng = await sharp({ create: { width: 1024, height: 1024, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } } })
      .composite([{ input: transparentTop, left: 0, top: 0, blend: 'dest-out' }])
      .png()
      .toBuffer();
    const mask = await uploadImage(app.strapi, 'mask.png', maskPng);
    const article = await createArticle(app.strapi, { title: 'Harbour at Noon' });
    const before = fake.requestsTo('/images/edits').length;
    await app.strapi.documents('api::article.article' as never).update({ documentId: article.documentId, locale: 'en', data: { photo, photoMask: mask } } as never);

    const job = await waitForFirstJob(app.strapi, { rule: 'openai-photo-edit', targetDocumentId: article.documentId });
    expect(job).toMatchObject({ operation: 'edit', sourceFileId: photo, maskFileId: mask });
    const done = await waitForJobStatus(app.strapi, job.id, ['succeeded']);
    const [call] = fake.requestsTo('/images/edits').slice(before);
    const parts = Object.fromEntries((call.parts ?? []).map((part) => [part.name, part]));
    expect(parts.image?.image).toMatchObject({ width: 1024, height: 1024 });
    expect(parts.mask?.image).toMatchObject({ format: 'png', width: 1024, height: 1024, hasAlpha: true, usesAlpha: true });
    expect(parts.prompt?.value).toBe('Replace the sky in the photo of "Harbour at Noon" with a sunset');
    expect((await findArticle(app.strapi, article.documentId, 'draft'))?.gallery?.map((file: { id: number }) => file.id)).toEqual([done.resultFileId]);
  });

  it('waits out a 429 retry-after, then succeeds on the second attempt', async () => {
    fake.inject({ name: 'rate_limit', retryAfterSeconds: 1, path: '/images/generations' });
    const before = fake.requestsTo('/images/generations').length;
    const { job } = await publishArticle('Rain on Slate');
    const done = await waitForJobStatus(app.strapi, job.id, ['succeeded']);
    const calls = fake.requestsTo('/images/generations').slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[1].receivedAt - calls[0].receivedAt).toBeGreaterThanOrEqual(1000);
    expect(done.attempts).toBe(2);
    expect(done.attemptLog).toEqual([expect.objectContaining({ attempt: 1, outcome: 'retry', errorCode: 'rate_limited', retryable: true }), expect.objectContaining({ attempt: 2, outcome: 'succeeded' })]);
  });

  it.each([
    ['moderation_blocked', 'moderation_blocked', /moderation|safety/i],
    ['insufficient_quota', 'quota_exceeded', /quota|billing|credit/i],
    ['org_verification', 'permission', /verif/i],
    ['bad_key', 'auth', /key/i],
  ] as const)('fails a job at once on %s with a readable reason and no retry', async (fault, code, reason) => {
    fake.inject({ name: fault, path: '/images/generations' });
    const before = fake.requestsTo('/images/generations').length;
    const { job } = await publishArticle(`Fault ${fault}`);
    const failed = await waitForJobStatus(app.strapi, job.id, ['failed']);
    expect(failed).toMatchObject({ errorCode: code, errorRetryable: false, attempts: 1 });
    expect(failed.errorMessage).toMatch(reason);
    expect(failed.errorMessage).toMatch(/This will not be retried\./);
    expect(failed.errorMessage).not.toContain(API_KEY);
    expect(fake.requestsTo('/images/generations').slice(before)).toHaveLength(1);
  });

  it('retries server errors with backoff and gives up after maxAttempts with the reason', async () => {
    fake.inject({ name: 'server_error', path: '/images/generations' }, { times: 3 });
    const before = fake.requestsTo('/images/generations').length;
    const { job } = await publishArticle('Three Strikes');
    const failed = await waitForJobStatus(app.strapi, job.id, ['failed']);
    expect(failed).toMatchObject({ errorCode: 'server_error', errorRetryable: true, attempts: 3 });
    expect(failed.errorMessage).toMatch(/Gave up after 3 attempts\./);
    expect(fake.requestsTo('/images/generations').slice(before)).toHaveLength(3);
  });
});
