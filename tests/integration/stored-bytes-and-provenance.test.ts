/**
 * The bytes we make are the bytes stored, labelled as AI-made: in a real Strapi (with the upload plugin's default
 * "size optimization" and "responsive dimensions" on), the stored original is the rule's own encode, its formats
 * come from the same decode, and exiftool reads the IPTC digital source type from every stored file.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, coverRule } from './support/configs';
import { createArticle, waitForFirstJob, waitForJobStatus } from './support/jobs';

const TRAINED = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';

/** Kept as the provider made it: PNG asked, PNG delivered, no size asked. */
const photoRule = {
  id: 'article-photo',
  contentType: 'api::article.article',
  on: ['publish'],
  operation: 'generate',
  prompt: 'Photo for {{title}}',
  params: { size: '640x480' },
  output: { format: 'png' },
  target: 'photo',
};
/** A square JPEG with no responsive formats. */
const galleryRule = {
  id: 'article-gallery',
  contentType: 'api::article.article',
  on: ['publish'],
  operation: 'generate',
  prompt: 'Gallery tile for {{title}}',
  params: { size: '1024x1024' },
  output: { format: 'jpeg', quality: 70, width: 600, height: 600, formats: false },
  target: 'gallery',
};

interface ExifToolRow {
  SourceFile: string;
  DigitalSourceType?: string;
  JobId?: string | number;
  Provider?: string;
  AISystemUsed?: string;
}

function exiftool(files: string[]): ExifToolRow[] {
  return JSON.parse(execFileSync('exiftool', ['-j', '-XMP:all', ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as ExifToolRow[];
}

describe('stored bytes and provenance', () => {
  let app: TestApp;
  const stored = (url: string) => path.join(app.publicDir, url);

  beforeAll(async () => {
    app = await bootPlayground({ config: config([coverRule, photoRule, galleryRule]) });
  });
  afterAll(async () => {
    await app?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  async function publishAndWait(title: string) {
    const { strapi } = app;
    const article = await createArticle(strapi, { title, summary: 'Stored as made.' });
    await strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
    const done: Record<string, Record<string, any>> = {};
    for (const rule of ['article-cover', 'article-photo', 'article-gallery']) {
      const queued = await waitForFirstJob(strapi, { rule, targetDocumentId: article.documentId });
      const job = await waitForJobStatus(strapi, queued.id, ['succeeded']);
      const file = await strapi.db.query('plugin::upload.file').findOne({ where: { id: job.resultFileId } });
      done[rule] = { job, file };
    }
    return done;
  }

  async function providerBytes(job: Record<string, any>): Promise<Buffer> {
    const provider = app.strapi.plugin('ai-assets').service('providers').get(job.provider);
    const response = await provider.generate({ prompt: job.prompt, params: job.params }, { signal: new AbortController().signal });
    return response.images[0].data as Buffer;
  }

  it('stores the rule encode once (no second lossy encode) with formats from the same decode, all labelled', async () => {
    const { 'article-cover': cover } = await publishAndWait('Harbour At Dawn');
    const { job, file } = cover;
    const original = readFileSync(stored(file.url));
    expect(file.size).toBeCloseTo(original.length / 1000, 1);

    // The same encode in bare sharp, with the same XMP so only the pixels' encode is compared.
    const xmp = (await sharp(original).metadata()).xmp!.toString();
    const bare = await sharp(await providerBytes(job))
      .resize({ width: 1200, height: 630, fit: 'cover', position: 'attention' })
      .webp({ quality: 82 })
      .withXmp(xmp)
      .toBuffer();
    expect(Math.abs(original.length - bare.length) / bare.length).toBeLessThan(0.02);
    expect(job.result.size).toBe(original.length);

    // Strapi's formats are there (thumbnail + breakpoints smaller than 1200), encoded at the rule's format.
    expect(Object.keys(file.formats).sort()).toEqual(['large', 'medium', 'small', 'thumbnail']);
    for (const [key, format] of Object.entries(file.formats as Record<string, { url: string; width: number; height: number; mime: string }>)) {
      const meta = await sharp(readFileSync(stored(format.url))).metadata();
      expect([key, meta.format, meta.width, meta.height]).toEqual([key, 'webp', format.width, format.height]);
      expect(format.mime).toBe('image/webp');
    }
    expect([file.formats.large.width, file.formats.large.height]).toEqual([1000, 525]);

    const rows = exiftool([stored(file.url), ...Object.values(file.formats as Record<string, { url: string }>).map((format) => stored(format.url))]);
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row.DigitalSourceType).toBe(TRAINED);
      expect(String(row.JobId)).toBe(String(job.id));
      expect(row.Provider).toBe(job.provider);
    }

    // The Media Library row and the job say the same, for front ends ("AI-generated" label) and the job view.
    expect(file.provider_metadata.aiAssets).toMatchObject({ aiGenerated: true, digitalSourceType: TRAINED, jobId: job.id, provider: job.provider, providerBytesKept: false });
    expect(job.result.provenance).toMatchObject({ digitalSourceType: TRAINED, providerBytesKept: false });
  });

  it('keeps the provider bytes untouched when format and size are already as asked, and still labels the formats', async () => {
    const { 'article-photo': photo, 'article-gallery': gallery } = await publishAndWait('Quiet Library');
    const original = readFileSync(stored(photo.file.url));
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    expect(sha(original)).toBe(sha(await providerBytes(photo.job)));
    expect(photo.job.result.provenance).toMatchObject({ providerBytesKept: true });
    expect(photo.file.provider_metadata.aiAssets).toMatchObject({ aiGenerated: true, providerBytesKept: true, digitalSourceType: TRAINED });

    expect(Object.keys(photo.file.formats).sort()).toEqual(['small', 'thumbnail']);
    const formatRows = exiftool(Object.values(photo.file.formats as Record<string, { url: string }>).map((format) => stored(format.url)));
    expect(formatRows.map((row) => row.DigitalSourceType)).toEqual([TRAINED, TRAINED]);

    // `formats: false`: the original alone, at the rule's JPEG quality, labelled.
    expect(gallery.file.formats).toBeNull();
    const galleryBytes = readFileSync(stored(gallery.file.url));
    const meta = await sharp(galleryBytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 600, 600]);
    expect(exiftool([stored(gallery.file.url)])[0].DigitalSourceType).toBe(TRAINED);
  });
});
