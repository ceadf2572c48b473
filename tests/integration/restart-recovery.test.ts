/**
 * No job is lost: Strapi stopped while a job runs, or a worker that died holding a lease, and the next boot
 * finishes the job and attaches the file exactly once.
 */
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
});
