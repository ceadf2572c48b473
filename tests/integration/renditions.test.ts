/**
 * Renditions from one call, in a real Strapi against the fake OpenAI server: a rule with three named renditions
 * makes ONE provider request and attaches three files of the right sizes into three media fields.
 * (A rendition target that is not a media field stopping Strapi is in bad-config.test.ts.)
 */
import sharp from 'sharp';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeOpenAI } from '../fakes/fake-openai';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { FAST_QUEUE } from './support/configs';
import { createArticle, findArticle, waitForFirstJob, waitForJobStatus } from './support/jobs';

const API_KEY = 'sk-proj-renditions-KEY-2b7c';

const renditionsRule = {
  id: 'article-images',
  contentType: 'api::article.article',
  on: ['publish'],
  provider: 'openai',
  prompt: 'Editorial illustration for "{{title}}"',
  params: { size: '1536x1024', quality: 'low' },
  output: [
    { name: 'og', width: 1200, height: 630, fit: 'cover', format: 'webp', quality: 80, target: 'ogImage' },
    { name: 'square', width: 512, height: 512, format: 'jpeg', quality: 75, target: 'thumb' },
    { name: 'hero', width: 1280, height: 720, format: 'webp' },
  ],
  target: 'cover',
};

describe('renditions from one provider call', () => {
  let app: TestApp;
  let fake: FakeOpenAI;
  const providers = (url: string) => ({ openai: { type: 'openai', apiKey: API_KEY, baseUrl: `${url}/v1`, timeoutMs: 5000 } });

  beforeAll(async () => {
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
    app = await bootPlayground({ config: { providers: providers(fake.url), rules: [renditionsRule], queue: FAST_QUEUE } });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it('makes one provider call and attaches three files of the right sizes into three fields', async () => {
    const before = fake.requestsTo('/images/generations').length;
    const article = await createArticle(app.strapi, { title: 'Lighthouse Keepers' });
    await app.strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
    const queued = await waitForFirstJob(app.strapi, { rule: 'article-images', targetDocumentId: article.documentId });
    const job = await waitForJobStatus(app.strapi, queued.id, ['succeeded']);
    expect(fake.requestsTo('/images/generations').slice(before)).toHaveLength(1);

    const expected = { ogImage: ['image/webp', 'webp', 1200, 630], thumb: ['image/jpeg', 'jpeg', 512, 512], cover: ['image/webp', 'webp', 1280, 720] } as const;
    for (const status of ['draft', 'published'] as const) {
      const entry = await findArticle(app.strapi, article.documentId, status);
      for (const [field, [mime, format, width, height]] of Object.entries(expected)) {
        const file = entry?.[field];
        expect([field, file?.mime, file?.width, file?.height]).toEqual([field, mime, width, height]);
        const meta = await sharp(readFileSync(path.join(app.publicDir, file.url))).metadata();
        expect([field, meta.format, meta.width, meta.height]).toEqual([field, format, width, height]);
      }
    }

    // The job's result is the rule target's file and lists all three.
    expect(job.result.renditions.map((rendition: { name: string; target: string }) => [rendition.name, rendition.target])).toEqual([
      ['og', 'ogImage'],
      ['square', 'thumb'],
      ['hero', 'cover'],
    ]);
    const draft = await findArticle(app.strapi, article.documentId, 'draft');
    expect(job.resultFileId).toBe(draft?.cover?.id);
    expect(new Set([draft?.cover?.id, draft?.ogImage?.id, draft?.thumb?.id]).size).toBe(3);
  });
});
