import {
  allFileIdsOf,
  candidateChoiceProblem,
  candidateCountProblem,
  candidateRemovalProblem,
  pickIndex,
  requestedImageCount,
  resultWithoutCandidate,
  withCandidates,
} from '../../../server/src/media/candidates';
import type { CandidateResult, Job } from '../../../server/src/queue/types';

const candidate = (index: number, extra: Partial<CandidateResult> = {}): CandidateResult => ({
  index,
  fileId: 100 + index,
  url: `/uploads/c${index}.webp`,
  mime: 'image/webp',
  width: 512,
  height: 512,
  size: 1000,
  name: `c${index}.webp`,
  ...extra,
});
const jobWith = (candidates: CandidateResult[] | null, status: Job['status'] = 'awaiting_review', pick = 0) =>
  ({
    id: 7,
    status,
    attachedAt: status === 'approved' || status === 'succeeded' ? '2026-11-22T06:00:00.000Z' : null,
    result: candidates ? withCandidates(candidates, pick) : { ...candidate(0), index: undefined },
  }) as unknown as Job;

describe('media/candidates', () => {
  describe('requestedImageCount', () => {
    it.each([
      [{ n: 3 }, 3],
      [{}, 1],
      [null, 1],
      [{ n: 'three' }, 1],
      [{ n: 0 }, 1],
      [{ n: 2.5 }, 1],
    ])('reads %j as %d', (params, count) => expect(requestedImageCount(params as never)).toBe(count));
  });

  describe('candidateCountProblem', () => {
    it('accepts n up to the provider maximum on a review rule', () => expect(candidateCountProblem(10, 10, true, 'openai')).toBeNull());
    it('accepts n: 1 without review', () => expect(candidateCountProblem(1, 1, false, 'kie')).toBeNull());
    it('names the provider maximum', () => expect(candidateCountProblem(3, 1, true, 'kie')).toBe('provider "kie" returns at most 1 image per call'));
    it('refuses n > 1 without review', () => expect(candidateCountProblem(2, 10, false, 'openai')).toMatch(/needs review: true/));
  });

  describe('withCandidates / pickIndex', () => {
    it('puts the pick at the top level and keeps every candidate', () => {
      const result = withCandidates([candidate(0), candidate(1), candidate(2)], 1);
      expect(result).toMatchObject({ fileId: 101, url: '/uploads/c1.webp' });
      expect(result).not.toHaveProperty('index');
      expect(result.candidates).toHaveLength(3);
      expect(pickIndex(result)).toBe(1);
    });
    it('is 0 for a result without candidates', () => expect(pickIndex({ ...candidate(0) })).toBe(0));
  });

  describe('candidateChoiceProblem', () => {
    const job = jobWith([candidate(0), candidate(1, { removedAt: '2026-01-01T00:00:00.000Z' }), candidate(2)]);
    it.each([0, 2])('accepts candidate %d', (index) => expect(candidateChoiceProblem(job, index)).toBeNull());
    it('refuses an index out of range, naming the range', () => expect(candidateChoiceProblem(job, 3)).toBe('Job 7 has candidates 0 to 2: there is no candidate 3.'));
    it('refuses a removed candidate', () => expect(candidateChoiceProblem(job, 1)).toBe('Candidate 1 of job 7 was removed.'));
    it('accepts 0 and refuses others on a job with one image', () => {
      const single = jobWith(null);
      expect(candidateChoiceProblem(single, 0)).toBeNull();
      expect(candidateChoiceProblem(single, 1)).toMatch(/has one image/);
    });
  });

  describe('candidateRemovalProblem', () => {
    const three = [candidate(0), candidate(1), candidate(2)];
    it('allows removing a candidate that is not attached', () => expect(candidateRemovalProblem(jobWith(three, 'approved', 1), 0)).toBeNull());
    it('refuses the attached candidate', () => expect(candidateRemovalProblem(jobWith(three, 'approved', 1), 1)).toMatchObject({ conflict: true, message: expect.stringMatching(/attached/) }));
    it('allows removing the pick of a job awaiting review while others are left', () => expect(candidateRemovalProblem(jobWith(three), 0)).toBeNull());
    it('keeps the last candidate of a job awaiting review', () => {
      const job = jobWith([candidate(0, { removedAt: 'x' }), candidate(1), candidate(2, { removedAt: 'x' })], 'awaiting_review', 1);
      expect(candidateRemovalProblem(job, 1)).toMatchObject({ conflict: true, message: expect.stringMatching(/last one/) });
    });
    it('refuses while an approve has claimed the job but not attached yet', () =>
      expect(candidateRemovalProblem({ ...jobWith(three, 'approved', 0), attachedAt: null }, 2)).toMatchObject({ conflict: true, message: expect.stringMatching(/being approved/) }));
    it('allows every candidate of a rejected job', () => expect(candidateRemovalProblem(jobWith(three, 'rejected'), 0)).toBeNull());
    it('refuses twice and unknown indexes', () => {
      expect(candidateRemovalProblem(jobWith([candidate(0, { removedAt: 'x' }), candidate(1)], 'approved', 1), 0)).toMatchObject({ conflict: true });
      expect(candidateRemovalProblem(jobWith(three), 5)).toMatchObject({ conflict: false });
      expect(candidateRemovalProblem(jobWith(null), 0)).toMatchObject({ conflict: false });
    });
  });

  describe('resultWithoutCandidate', () => {
    const now = new Date('2026-11-22T06:00:00.000Z');
    it('marks the candidate and keeps the pick', () => {
      const result = resultWithoutCandidate(withCandidates([candidate(0), candidate(1), candidate(2)], 1), 2, now);
      expect(result.fileId).toBe(101);
      expect(result.candidates?.map((entry) => entry.removedAt ?? null)).toEqual([null, null, now.toISOString()]);
    });
    it('moves a removed pick to the first candidate left', () => {
      const result = resultWithoutCandidate(withCandidates([candidate(0), candidate(1), candidate(2)], 0), 0, now);
      expect(result.fileId).toBe(101);
      expect(allFileIdsOf(result)).toEqual([101, 102]);
    });
  });

  describe('allFileIdsOf', () => {
    it('lists every rendition of every candidate left', () => {
      const renditions = (base: number) => [
        { name: 'og', target: 'cover', fileId: base, url: '', mime: 'image/webp', width: 1, height: 1, size: 1 },
        { name: 'square', target: null, fileId: base + 1, url: '', mime: 'image/webp', width: 1, height: 1, size: 1 },
      ];
      const result = withCandidates([candidate(0, { fileId: 10, renditions: renditions(10) }), candidate(1, { fileId: 20, renditions: renditions(20) })]);
      expect(allFileIdsOf(result)).toEqual([10, 11, 20, 21]);
    });
  });
});
