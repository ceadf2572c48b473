/**
 * Executes one claimed job: provider call -> sharp -> Media Library -> attach (or hold for review).
 * The uploaded file id is checkpointed on the job before attaching, so a job resumed after a crash
 * attaches the file it already paid for instead of calling the provider again.
 */
import type { Core } from '@strapi/strapi';
import { attachmentsOf, fileIdsOf } from '../media/rendition-plan';
import { createJobImageStore } from '../media/store-job-images';
import { MalformedResponseError, NonRetryableError } from '../providers/errors';
import type { Job, JobResult } from '../queue/types';
import { throwIfAborted } from '../utils/abort';
import { getService } from '../utils/get-service';

/** The worker lost this job (canceled by an editor, or its lease was taken over): stop quietly. */
export class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`Job ${jobId} is no longer held by this worker.`);
    this.name = 'LeaseLostError';
  }
}

export type PipelineOutcome = 'succeeded' | 'awaiting_review';

export const createPipeline = ({ strapi }: { strapi: Core.Strapi }) => {
  const library = () => getService(strapi, 'library');

  async function produceFile(job: Job, leaseToken: string, signal: AbortSignal): Promise<Pick<JobResult, 'fileId' | 'renditions'>> {
    const existing = job.resultFileId ? await library().findFile(job.resultFileId) : null;
    if (existing) return { fileId: existing.id, renditions: job.result?.renditions };

    const provider = getService(strapi, 'providers').get(job.provider);
    const request = { prompt: job.prompt, params: job.params ?? {} };
    let response;
    if (job.operation === 'edit') {
      const source = job.sourceFileId ? await library().findFile(job.sourceFileId) : null;
      if (!source) throw new NonRetryableError('source_missing', 'The image to edit is no longer in the Media Library.');
      const maskFile = job.maskFileId ? await library().findFile(job.maskFileId) : null;
      const mask = job.maskData
        ? { data: Buffer.from(job.maskData, 'base64'), mime: 'image/png', name: 'mask.png' }
        : maskFile
          ? { data: await library().readFile(maskFile), mime: maskFile.mime, name: maskFile.name }
          : undefined;
      response = await provider.edit(
        {
          ...request,
          images: [{ data: await library().readFile(source), mime: source.mime, name: source.name }],
          mask,
        },
        { signal }
      );
    } else {
      response = await provider.generate(request, { signal });
    }
    const image = response.images[0];
    if (!image?.data?.length) throw new MalformedResponseError('The provider answered without an image.', { requestId: response.requestId });

    const [{ file, result }] = await createJobImageStore({ strapi, library: library() }).store({ job, image: image.data, model: response.model ?? job.model, signal });
    const stillHeld = await getService(strapi, 'queue').store.updateHeld(job.id, leaseToken, {
      resultFileId: file.id,
      result,
      model: response.model ?? job.model,
      revisedPrompt: image.revisedPrompt ?? null,
      providerRequestId: response.requestId ?? null,
      usage: (response.usage as Record<string, unknown>) ?? null,
      costUsd: response.costUsd ?? null,
    });
    if (!stillHeld) {
      // Canceled while we were working: don't leave an orphan in the Media Library.
      await Promise.all(fileIdsOf(result).map((id) => library().removeFile(id)));
      throw new LeaseLostError(job.id);
    }
    return result;
  }

  return {
    async run(job: Job, leaseToken: string, signal: AbortSignal): Promise<PipelineOutcome> {
      const result = await produceFile(job, leaseToken, signal);
      const store = getService(strapi, 'queue').store;
      const finishedAt = new Date();
      const attemptLog = store.appendAttempt(job, {
        attempt: job.attempts,
        startedAt: new Date(job.startedAt ?? finishedAt).toISOString(),
        finishedAt: finishedAt.toISOString(),
        outcome: 'succeeded',
      });
      const timing = { finishedAt, durationMs: job.startedAt ? finishedAt.getTime() - new Date(job.startedAt).getTime() : null, attemptLog };
      if (job.review) {
        if (!(await store.updateHeld(job.id, leaseToken, { status: 'awaiting_review', leaseOwner: null, leaseExpiresAt: null, ...timing }))) {
          throw new LeaseLostError(job.id);
        }
        return 'awaiting_review';
      }
      throwIfAborted(signal);
      // An editor may have canceled while we generated: attaching is the one step we cannot take back.
      if (!(await store.isHeld(job.id, leaseToken))) throw new LeaseLostError(job.id);
      for (const { field, fileId } of attachmentsOf(result, job.targetField)) {
        await getService(strapi, 'attacher').attach(
          { contentType: job.contentType, documentId: job.targetDocumentId, locale: job.targetLocale, field },
          fileId,
          { publishToLive: getService(strapi, 'config').get().publishAfterAttach }
        );
      }
      const done = await store.updateHeld(job.id, leaseToken, {
        status: 'succeeded',
        attachedField: job.targetField,
        attachedAt: finishedAt,
        leaseOwner: null,
        leaseExpiresAt: null,
        errorCode: null,
        errorMessage: null,
        errorRetryable: null,
        ...timing,
      });
      if (!done) throw new LeaseLostError(job.id);
      return 'succeeded';
    },
  };
};

export type Pipeline = ReturnType<typeof createPipeline>;
