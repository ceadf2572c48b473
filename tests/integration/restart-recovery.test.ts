/**
 * No job is lost: Strapi stopped while a job runs, or a worker that died holding a lease, and the next boot
 * finishes the job and attaches the file exactly once.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { bootPlayground, newWorkDir, removeWorkDir } from './support/playground';
import { config, coverRule, FAST_QUEUE } from './support/configs';
import { createArticle, findArticle, jobById, waitForFirstJob, waitForJobStatus } from './support/jobs';

// Long enough to stop Strapi mid-call, short enough for the resumed attempt to finish quickly.
const slowRule = { ...coverRule, params: { size: '512x512', delayMs: 4000 } };
const fastRule = { ...coverRule, params: { size: '512x512' } };

async function filesInFolder(strapi: import('@strapi/strapi').Core.Strapi, name: string): Promise<number> {
  const folder = await strapi.db.query('plugin::upload.folder').findOne({ where: { name } });
  return folder ? strapi.db.query('plugin::upload.file').count({ where: { folder: folder.id } }) : 0;
}

/**
 * Makes `method` of a repository throw `message` for the calls `refuse` picks, as a database or a kill would;
 * returns how many it refused and a restore.
 */
function refuseCalls(repository: Record<string, unknown>, method: string, refuse: (params: never, refusedSoFar: number) => boolean, message: string) {
  const original = (repository[method] as (params: never) => Promise<unknown>).bind(repository);
  const state = { refused: 0 };
  const spy = jest.spyOn(repository as never, method as never).mockImplementation((async (params: never) => {
    if (refuse(params, state.refused)) {
      state.refused += 1;
      throw new Error(message);
    }
    return original(params);
  }) as never);
  return { state, restore: () => spy.mockRestore() };
}

describe('restart recovery', () => {
  const workDirs: string[] = [];
  afterAll(() => workDirs.forEach(removeWorkDir));

  it('puts a running job back to queued on shutdown, and the next boot completes and attaches it once', async () => {
    const workDir = newWorkDir();
    workDirs.push(workDir);

    const first = await bootPlayground({ config: config([slowRule]), workDir });
    const article = await createArticle(first.strapi, { title: 'Long Exposure', summary: 'Star trails.' });
    await first.strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
    const queued = await waitForFirstJob(first.strapi, { targetDocumentId: article.documentId });
    await waitForJobStatus(first.strapi, queued.id, ['running']);
    await first.stop(); // the provider call is mid-flight

    const second = await bootPlayground({ config: config([slowRule]), workDir });
    try {
      const released = await jobById(second.strapi, queued.id);
      expect(released.attemptLog.map((entry: { outcome: string }) => entry.outcome)).toEqual(['released']);
      const done = await waitForJobStatus(second.strapi, queued.id, ['succeeded']);
      expect(done.attemptLog.map((entry: { outcome: string }) => entry.outcome)).toEqual(['released', 'succeeded']);
      expect(done.attempts).toBe(1);
      expect((await findArticle(second.strapi, article.documentId, 'published'))?.cover?.id).toBe(done.resultFileId);
      expect(await filesInFolder(second.strapi, 'Article covers')).toBe(1);
    } finally {
      await second.stop();
    }
  });

  it('requeues a job whose worker died holding the lease, and finishes it after the next boot', async () => {
    const workDir = newWorkDir();
    workDirs.push(workDir);

    // First boot runs no worker, so the job stays queued; we then make it look claimed by a dead process.
    const first = await bootPlayground({ config: config([fastRule], { queue: { ...FAST_QUEUE, worker: false } }), workDir });
    const article = await createArticle(first.strapi, { title: 'Dead Worker', summary: 'Lease expiry.' });
    await first.strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
    const queued = await waitForFirstJob(first.strapi, { targetDocumentId: article.documentId });
    await first.strapi.db.query('plugin::ai-assets.job').update({
      where: { id: queued.id },
      data: { status: 'running', attempts: 1, leaseOwner: 'gone-host:1:dead', leaseExpiresAt: new Date(Date.now() - 1000), startedAt: new Date(Date.now() - 60_000) },
    });
    await first.stop();

    const second = await bootPlayground({ config: config([fastRule]), workDir });
    try {
      const done = await waitForJobStatus(second.strapi, queued.id, ['succeeded']);
      expect(done.attempts).toBe(2);
      expect(done.attemptLog.map((entry: { outcome: string }) => entry.outcome)).toEqual(['lease_expired', 'succeeded']);
      expect((await findArticle(second.strapi, article.documentId, 'draft'))?.cover?.id).toBe(done.resultFileId);
      expect(await filesInFolder(second.strapi, 'Article covers')).toBe(1);
    } finally {
      await second.stop();
    }
  });

  it('leaves no file on disk when an attempt wrote its objects but never created the Media Library row', async () => {
    const workDir = newWorkDir();
    workDirs.push(workDir);
    const app = await bootPlayground({ config: config([fastRule]), workDir });
    try {
      const { strapi } = app;
      // The first row insert for a file fails, as a kill between the upload provider's write and the insert would.
      const cutOff = refuseCalls(strapi.db.query('plugin::upload.file') as never, 'create', (_params, refused) => refused === 0, 'connection lost before the file row was written');
      const uploads = path.join(strapi.dirs.static.public, 'uploads');
      const before = new Set(readdirSync(uploads));
      const article = await createArticle(strapi, { title: 'Cut Off Upload', summary: 'Half stored.' });
      await strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
      const queued = await waitForFirstJob(strapi, { targetDocumentId: article.documentId });
      const done = await waitForJobStatus(strapi, queued.id, ['succeeded']);
      cutOff.restore();
      expect(cutOff.state.refused).toBe(1);
      expect(done.attempts).toBe(2);

      const rows = (await strapi.db.query('plugin::upload.file').findMany({ where: { id: done.resultFileId } })) as Array<{ url: string; formats: Record<string, { url: string }> | null }>;
      expect(rows).toHaveLength(1);
      const referenced = new Set([rows[0].url, ...Object.values(rows[0].formats ?? {}).map((format) => format.url)].map((url) => path.basename(url)));
      const written = readdirSync(uploads).filter((name) => !before.has(name));
      expect(written.length).toBeGreaterThan(0);
      expect(written.filter((name) => !referenced.has(name))).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('goes on without a checkpoint when the database refuses the paid image, instead of failing a paid job', async () => {
    const workDir = newWorkDir();
    workDirs.push(workDir);
    const app = await bootPlayground({ config: config([fastRule]), workDir });
    try {
      const { strapi } = app;
      // As MariaDB answers a value over max_allowed_packet.
      const tooBig = refuseCalls(
        strapi.db.query('plugin::ai-assets.job') as never,
        'updateMany',
        (params) => Boolean((params as { data?: { checkpointData?: string | null } }).data?.checkpointData),
        'Got a packet bigger than max_allowed_packet bytes'
      );
      const article = await createArticle(strapi, { title: 'Too Big To Save', summary: 'Four large candidates.' });
      await strapi.documents('api::article.article' as never).publish({ documentId: article.documentId, locale: 'en' } as never);
      const queued = await waitForFirstJob(strapi, { targetDocumentId: article.documentId });
      const done = await waitForJobStatus(strapi, queued.id, ['succeeded']);
      tooBig.restore();
      expect(tooBig.state.refused).toBe(1);
      expect(done.attempts).toBe(1);
      expect(done.model).toBe('local-artwork-1');
      expect((await findArticle(strapi, article.documentId, 'draft'))?.cover?.id).toBe(done.resultFileId);
    } finally {
      await app.stop();
    }
  });
});
