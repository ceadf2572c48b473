import { attachedImagesOf, historyEntries, resultForFile } from '../../../server/src/media/image-history';
import type { Job, JobResult } from '../../../server/src/queue/types';

const file = (fileId: number): JobResult => ({ fileId, url: `/uploads/${fileId}.webp`, mime: 'image/webp', width: 10, height: 10, size: 100, name: `${fileId}.webp` });
const job = (id: number, extra: Partial<Job>): Job =>
  ({ id, rule: 'cover-rule', trigger: 'publish', targetField: 'cover', attachedField: 'cover', attachedAt: null, resultFileId: null, result: null, parentJobId: null, ...extra }) as Job;
const renditions = [
  { name: 'og', target: 'cover', fileId: 11, url: '/uploads/11.webp', mime: 'image/webp', width: 1200, height: 630, size: 10 },
  { name: 'square', target: 'thumb', fileId: 12, url: '/uploads/12.webp', mime: 'image/webp', width: 1080, height: 1080, size: 10 },
  { name: 'spare', target: null, fileId: 13, url: '/uploads/13.webp', mime: 'image/webp', width: 100, height: 100, size: 10 },
];

describe('media/image-history', () => {
  describe('attachedImagesOf', () => {
    it('is empty for a job that never attached', () => expect(attachedImagesOf(job(1, { resultFileId: 5, result: file(5) }))).toEqual([]));
    it('is the one file of a plain job', () =>
      expect(attachedImagesOf(job(1, { resultFileId: 5, result: file(5), attachedAt: '2026-01-01T00:00:00Z' }))).toEqual([{ field: 'cover', fileId: 5 }]));
    it('lists each targeted rendition when the job attached to its rule target', () =>
      expect(attachedImagesOf(job(1, { resultFileId: 11, result: { ...file(11), renditions }, attachedAt: '2026-01-01T00:00:00Z' }))).toEqual([
        { field: 'cover', fileId: 11 },
        { field: 'thumb', fileId: 12 },
      ]));
    it('is the result alone when an editor attached it to another field', () =>
      expect(attachedImagesOf(job(1, { resultFileId: 11, result: { ...file(11), renditions }, attachedField: 'gallery', attachedAt: '2026-01-01T00:00:00Z' }))).toEqual([
        { field: 'gallery', fileId: 11 },
      ]));
  });

  describe('historyEntries', () => {
    const jobs = [
      job(1, { resultFileId: 5, result: file(5), attachedAt: '2026-01-01T00:00:00Z' }),
      job(2, { resultFileId: 11, result: { ...file(11), renditions }, attachedAt: '2026-01-03T00:00:00Z' }),
      job(3, { resultFileId: 5, result: file(5), attachedAt: '2026-01-05T00:00:00Z', trigger: 'revert', parentJobId: 1 }),
      job(4, { resultFileId: 6, result: file(6) }),
    ];
    it("lists a field's attaches newest first, reverts naming the job they undo", () =>
      expect(historyEntries(jobs, 'cover').map((entry) => [entry.jobId, entry.fileId, entry.revertOf])).toEqual([
        [3, 5, 1],
        [2, 11, null],
        [1, 5, null],
      ]));
    it('lists every field without a field filter', () =>
      expect(historyEntries(jobs).map((entry) => `${entry.field}:${entry.fileId}`)).toEqual(['cover:5', 'cover:11', 'thumb:12', 'cover:5']));
    it('orders equal times by job id, latest first', () => {
      const same = [job(8, { resultFileId: 1, result: file(1), attachedAt: '2026-01-01T00:00:00Z' }), job(9, { resultFileId: 2, result: file(2), attachedAt: '2026-01-01T00:00:00Z' })];
      expect(historyEntries(same, 'cover').map((entry) => entry.jobId)).toEqual([9, 8]);
    });
    it('is empty for a field nothing was attached to', () => expect(historyEntries(jobs, 'gallery')).toEqual([]));
  });

  describe('resultForFile', () => {
    it('keeps the own result without candidates or renditions', () =>
      expect(resultForFile({ ...file(11), renditions, candidates: [] }, 11)).toEqual(file(11)));
    it('takes a rendition', () => expect(resultForFile({ ...file(11), renditions }, 12)).toMatchObject({ fileId: 12, width: 1080, url: '/uploads/12.webp' }));
    it('is null for a file the job did not make', () => expect(resultForFile(file(11), 99)).toBeNull());
  });
});
