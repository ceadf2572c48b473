/** Removing a candidate a job does not need: marked on the job (which keeps it in its history), then deleted from the Media Library. */
import type { Core } from '@strapi/strapi';
import { PlanError } from '../errors/domain';
import { candidateRemovalProblem, resultWithoutCandidate } from '../media/candidates';
import { fileIdsOf } from '../media/rendition-plan';
import { JobStateError } from '../queue/errors';
import type { JobStore } from '../queue/job-store';
import type { CandidateResult } from '../queue/types';
import { getService } from '../utils/get-service';
import { toJobView } from './job-view';

export const createCandidateService = ({ strapi, store }: { strapi: Core.Strapi; store: JobStore }) => ({
  async remove(jobId: number, index: number) {
    if (!(await store.findById(jobId))) throw new PlanError(`Job ${jobId} does not exist.`, 'not_found');
    let removed: CandidateResult | undefined;
    // Under the job's row lock: an approval of this candidate or another removal waits, then sees it removed.
    const job = await store.updateLocked(jobId, (current) => {
      const problem = candidateRemovalProblem(current, index);
      if (problem) throw problem.conflict ? new JobStateError(problem.message) : new PlanError(problem.message);
      removed = current.result?.candidates?.find((entry) => entry.index === index);
      const result = resultWithoutCandidate(current.result as NonNullable<typeof current.result>, index, new Date());
      return { result, resultFileId: result.fileId };
    });
    // After commit: a failure here leaves a file in the Media Library, never a job pointing at a deleted one.
    for (const fileId of fileIdsOf(removed as CandidateResult)) {
      await getService(strapi, 'library')
        .removeFile(fileId)
        .catch((error) => strapi.log.error(`ai-assets: could not delete file ${fileId} of job ${jobId}: ${(error as Error).message}`));
    }
    return toJobView(job, await getService(strapi, 'library').findFile(job.resultFileId as number));
  },
});

export type CandidateService = ReturnType<typeof createCandidateService>;
