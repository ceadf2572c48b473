/**
 * An entry's image history (what the plugin attached to each media field, from the job table) and reverts: putting
 * an earlier image back through the same attach path as an approve (draft and live, Strapi's `entry.update` /
 * `entry.publish` webhooks), recorded as a `revert` job and announced as `ai-assets.job.reverted`.
 */
import type { Core, UID } from '@strapi/strapi';
import { PlanError } from '../errors/domain';
import { attachedImagesOf, historyEntries, resultForFile, type HistoryImage } from '../media/image-history';
import type { LibraryFile } from '../media/library';
import { NonRetryableError } from '../providers/errors';
import { JobStateError } from '../queue/errors';
import type { JobStore } from '../queue/job-store';
import type { Job, NewJob } from '../queue/types';
import { isLocalized } from '../rules/content-schema';
import { getService } from '../utils/get-service';
import { toJobView } from './job-view';

/** Attaches looked at per entry: far more than an editor scrolls through, small enough for one indexed query. */
const HISTORY_LIMIT = 200;

export interface HistoryQuery {
  contentType: string;
  documentId: string;
  locale?: string;
  field?: string;
}

const idsIn = (value: unknown): number[] =>
  (Array.isArray(value) ? value : value ? [value] : []).map((file) => (file as { id: number }).id).filter((id) => typeof id === 'number');

/** The fields of a job row a revert copies (who, what, where), so the revert row reads like the job it undoes. */
function revertRow(job: Job, field: string, userId: number | null): NewJob {
  return {
    rule: job.rule,
    contentType: job.contentType,
    targetDocumentId: job.targetDocumentId,
    targetLocale: job.targetLocale,
    trigger: 'revert',
    operation: job.operation,
    provider: job.provider,
    model: job.model,
    prompt: job.prompt,
    params: job.params,
    output: job.output,
    targetField: field,
    altText: job.altText,
    caption: job.caption,
    folder: job.folder,
    sourceFileId: job.sourceFileId,
    maskFileId: null,
    maskData: null,
    inputHash: job.inputHash,
    review: false,
    maxAttempts: 1,
    parentJobId: job.id,
    entryTitle: job.entryTitle,
    createdByUserId: userId,
  };
}

export const createImageHistoryService = ({ strapi, store }: { strapi: Core.Strapi; store: JobStore }) => {
  const library = () => getService(strapi, 'library');

  /** File ids each field of the document's draft holds now. */
  async function currentFiles(contentType: string, documentId: string, locale: string | null | undefined, fields: string[]): Promise<Map<string, number[]>> {
    if (fields.length === 0) return new Map();
    const entry = (await strapi.documents(contentType as UID.ContentType).findOne({
      documentId,
      ...(isLocalized(strapi, contentType) && locale ? { locale } : {}),
      populate: fields,
    } as never)) as Record<string, unknown> | null;
    return new Map(fields.map((field) => [field, idsIn(entry?.[field])]));
  }

  async function filesById(ids: number[]): Promise<Map<number, LibraryFile>> {
    if (ids.length === 0) return new Map();
    const files = (await strapi.db.query('plugin::upload.file').findMany({ where: { id: { $in: ids } } })) as LibraryFile[];
    return new Map(files.map((file) => [file.id, file]));
  }

  return {
    async history(query: HistoryQuery): Promise<HistoryImage[]> {
      const jobs = await store.attachedTo(query.contentType, query.documentId, query.locale, HISTORY_LIMIT);
      const entries = historyEntries(jobs, query.field);
      const [files, current] = await Promise.all([
        filesById([...new Set(entries.map((entry) => entry.fileId))]),
        currentFiles(query.contentType, query.documentId, query.locale, [...new Set(entries.map((entry) => entry.field))]),
      ]);
      return entries.map((entry) => {
        const file = files.get(entry.fileId);
        return {
          ...entry,
          url: file?.url ?? null,
          thumbnailUrl: file?.formats?.thumbnail?.url ?? file?.url ?? null,
          width: file?.width ?? null,
          height: file?.height ?? null,
          fileExists: Boolean(file),
          current: Boolean(current.get(entry.field)?.includes(entry.fileId)),
        };
      });
    },

    /** Puts back the image job `jobId` attached to `field` (default: the field it attached to). */
    async revert(jobId: number, input: { field?: string; userId?: number }) {
      const job = await store.findById(jobId);
      if (!job) throw new PlanError(`Job ${jobId} does not exist.`, 'not_found');
      const field = input.field ?? job.attachedField ?? job.targetField;
      const image = attachedImagesOf(job).find((attached) => attached.field === field);
      if (!image) throw new PlanError(`Job ${jobId} never attached an image to "${field}": there is nothing to put back.`);
      const file = await library().findFile(image.fileId);
      if (!file) {
        throw new NonRetryableError('file_missing', `The image job ${jobId} attached to "${field}" (file ${image.fileId}) was deleted from the Media Library: it cannot be put back.`);
      }
      const current = await currentFiles(job.contentType, job.targetDocumentId, job.targetLocale, [field]);
      if (current.get(field)?.includes(file.id)) throw new JobStateError(`"${field}" already holds the image of job ${jobId}.`);

      await getService(strapi, 'attacher').attach(
        { contentType: job.contentType, documentId: job.targetDocumentId, locale: job.targetLocale, field },
        file.id,
        { publishToLive: getService(strapi, 'config').get().publishAfterAttach }
      );
      const now = new Date();
      const facts = resultForFile(job.result, file.id);
      const result = { ...(facts ?? { fileId: file.id, mime: file.mime, width: file.width ?? 0, height: file.height ?? 0, size: Math.round(file.size * 1000) }), url: file.url, name: file.name };
      const reverted = await store.insertDone(revertRow(job, field, input.userId ?? null), {
        status: 'succeeded',
        resultFileId: file.id,
        result,
        attachedField: field,
        attachedAt: now,
        startedAt: now,
        finishedAt: now,
        durationMs: 0,
        costUsd: 0,
        reviewedByUserId: input.userId ?? null,
      });
      getService(strapi, 'jobEvents').emit('reverted', reverted.id);
      return toJobView(reverted, file);
    },
  };
};

export type ImageHistoryService = ReturnType<typeof createImageHistoryService>;
