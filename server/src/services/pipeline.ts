/**
 * Executes one claimed job: folder -> provider call -> checkpoint -> sharp -> Media Library -> attach (or hold
 * for review). Each paid or visible step is recorded on the job (with the lease held) before the next one, so a
 * job resumed after a crash reuses the image it paid for and the file it uploaded instead of doing them again.
 */
import type { Core } from '@strapi/strapi';
import type { LibraryFile } from '../media/library';
import { createPreviewWriter } from '../media/live-preview';
import { allFileIdsOf, requestedImageCount, withCandidates } from '../media/candidates';
import { attachmentsOf, fileIdsOf } from '../media/rendition-plan';
import { createJobImageStore, type StoreJobImagesInput } from '../media/store-job-images';
import { MalformedResponseError, NonRetryableError } from '../providers/errors';
import type { ProviderCallOptions } from '../providers/types';
import { LeaseLostError } from '../queue/errors';
import type { JobStore } from '../queue/job-store';
import type { CandidateResult, Job, JobResult } from '../queue/types';
import { throwIfAborted } from '../utils/abort';
import { getService } from '../utils/get-service';

export type PipelineOutcome = 'succeeded' | 'awaiting_review';

export const createPipeline = ({ strapi, store }: { strapi: Core.Strapi; store: JobStore }) => {
  const library = () => getService(strapi, 'library');

  /** Calls the provider for the job's image; partial frames it sends become the job's live preview meanwhile. */
  async function callProvider(job: Job, leaseToken: string, signal: AbortSignal) {
    const preview = createPreviewWriter((data) => store.updateHeld(job.id, leaseToken, data), strapi.log);
    try {
      return await requestImage(job, { signal, onPartial: (frame) => preview.offer(frame) });
    } finally {
      await preview.settle();
    }
  }

  async function requestImage(job: Job, options: ProviderCallOptions) {
    const provider = getService(strapi, 'providers').get(job.provider);
    const request = { prompt: job.prompt, params: job.params ?? {} };
    if (job.operation !== 'edit') return provider.generate(request, options);
    const source = job.sourceFileId ? await library().findFile(job.sourceFileId) : null;
    if (!source) throw new NonRetryableError('source_missing', 'The image to edit is no longer in the Media Library.');
    const maskFile = job.maskFileId ? await library().findFile(job.maskFileId) : null;
    const mask = job.maskData
      ? { data: Buffer.from(job.maskData, 'base64'), mime: 'image/png', name: 'mask.png' }
      : maskFile
        ? { data: await library().readFile(maskFile), mime: maskFile.mime, name: maskFile.name }
        : undefined;
    return provider.edit({ ...request, images: [{ data: await library().readFile(source), mime: source.mime, name: source.name }], mask }, options);
  }

  /**
   * The paid images (one, or the job's n candidates): from the job's checkpoint when an earlier attempt got them,
   * else from the provider, saved on the job (with the lease held) before any further step, so a crash after this
   * point never pays again. Several images are checkpointed as their base64 joined by "," (base64 has no comma).
   */
  async function paidImages(job: Job, leaseToken: string, signal: AbortSignal): Promise<{ images: Buffer[]; model: string | null }> {
    if (job.checkpointData) return { images: job.checkpointData.split(',').map((data) => Buffer.from(data, 'base64')), model: job.model };
    const response = await callProvider(job, leaseToken, signal);
    // A provider may answer with fewer images than asked; never keep more than the job asked for.
    const images = response.images.slice(0, requestedImageCount(job.params));
    if (images.length === 0 || images.some((image) => !image?.data?.length)) {
      throw new MalformedResponseError('The provider answered without an image.', { requestId: response.requestId });
    }
    const facts = {
      model: response.model ?? job.model,
      revisedPrompt: images[0].revisedPrompt ?? null,
      providerRequestId: response.requestId ?? null,
      usage: (response.usage as Record<string, unknown>) ?? null,
      costUsd: response.costUsd ?? null,
    };
    let checkpointed: boolean;
    try {
      checkpointed = await store.updateHeld(job.id, leaseToken, { ...facts, checkpointData: images.map((image) => image.data.toString('base64')).join(','), checkpointMime: images[0].mime ?? null });
    } catch (error) {
      // The database would not take the images (MariaDB's default max_allowed_packet is 16 MB: four large
      // candidates in one value exceed it). They are paid for and in memory: go on without the crash-safe copy
      // rather than fail the job and pay again on the retry.
      strapi.log.warn(`ai-assets: job ${job.id}: the paid image could not be saved on the job (${(error as Error).message}); going on without a checkpoint`);
      checkpointed = await store.updateHeld(job.id, leaseToken, facts);
    }
    if (!checkpointed) throw new LeaseLostError(job.id);
    return { images: images.map((image) => image.data), model: response.model ?? job.model };
  }

  /** Stores one file (`upload`), or finds the one an interrupted attempt of this job already stored under `name`. */
  async function uploadOnce(job: Job, leaseToken: string, name: string, folderId: number | null, upload: () => Promise<LibraryFile>): Promise<LibraryFile> {
    if (job.uploadStartedAt) {
      // Clocks of other instances may differ a little: look a minute before the mark.
      const since = new Date(new Date(job.uploadStartedAt).getTime() - 60_000);
      const earlier = await library().findUnrecordedUpload(name, folderId, since, async (fileId) => (await store.count({ resultFileId: fileId })) > 0);
      if (earlier) return earlier;
    }
    if (!(await store.updateHeld(job.id, leaseToken, { uploadStartedAt: new Date() }))) throw new LeaseLostError(job.id);
    return upload();
  }

  /** Every paid image stored with its renditions; several images become the job's candidates (the first is the pick). */
  async function storeCandidates(
    job: Job,
    paid: { images: Buffer[]; model: string | null },
    folderId: number | null,
    storeOnce: StoreJobImagesInput['storeOnce'],
    signal: AbortSignal
  ): Promise<JobResult> {
    const imageStore = createJobImageStore({ strapi, library: library() });
    const candidates: CandidateResult[] = [];
    try {
      for (const [index, image] of paid.images.entries()) {
        const [{ result }] = await imageStore.store({ job, image, model: paid.model, folderId, signal, storeOnce, candidate: paid.images.length > 1 ? index : null });
        candidates.push({ ...result, index });
      }
    } catch (error) {
      // Candidates stored before the failure would never be shown or attached: remove them.
      await Promise.all(candidates.flatMap((candidate) => fileIdsOf(candidate)).map((id) => library().removeFile(id).catch(() => undefined)));
      throw error;
    }
    if (candidates.length === 1) {
      const { index: _index, ...single } = candidates[0];
      return single;
    }
    return withCandidates(candidates);
  }

  async function produceFile(job: Job, leaseToken: string, signal: AbortSignal): Promise<Pick<JobResult, 'fileId' | 'renditions'>> {
    const existing = job.resultFileId ? await library().findFile(job.resultFileId) : null;
    if (existing) return { fileId: existing.id, renditions: job.result?.renditions };
    // The folder exists before we pay: failing here costs nothing.
    const folderId = job.folder ? await library().ensureFolder(job.folder) : null;

    const paid = await paidImages(job, leaseToken, signal);
    const result = await storeCandidates(job, paid, folderId, (name, upload) => uploadOnce(job, leaseToken, name, folderId, upload), signal);
    // The files now hold the paid result: the checkpoint bytes are no longer needed.
    const stillHeld = await store.updateHeld(job.id, leaseToken, { resultFileId: result.fileId, result, checkpointData: null, checkpointMime: null });
    if (!stillHeld) {
      // Canceled while we were working: don't leave an orphan in the Media Library.
      await Promise.all(allFileIdsOf(result).map((id) => library().removeFile(id)));
      throw new LeaseLostError(job.id);
    }
    return result;
  }

  return {
    async run(job: Job, leaseToken: string, signal: AbortSignal): Promise<PipelineOutcome> {
      const result = await produceFile(job, leaseToken, signal);
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
        getService(strapi, 'jobEvents').emit('awaiting_review', job.id);
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
      getService(strapi, 'jobEvents').emit('succeeded', job.id);
      return 'succeeded';
    },
  };
};

export type Pipeline = ReturnType<typeof createPipeline>;
