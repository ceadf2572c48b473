/**
 * A Save from an edit view that was opened before the plugin attached a file must not put the old file back.
 *
 * The Content Manager sends the whole form, including the `updatedAt` it loaded. When the draft changed after
 * that moment and a field no longer holds a file the plugin attached since then, the save comes from a stale
 * form: the plugin's file is kept (a single media field keeps it, a multiple one gets it back) and the rest of
 * the save goes through. Saves without a loaded `updatedAt` (API and programmatic writes) say what they mean
 * and are left alone.
 */
import type { Core, UID } from '@strapi/strapi';
import type { PluginConfig } from '../config/schema';
import { JOB_UID } from '../content-types';
import { getService } from '../utils/get-service';
import { isPluginWrite } from './plugin-writes';

type MediaValue = unknown;

/** File ids in a media value as the Document Service accepts it: id, { id }, or a list of those. */
export function fileIds(value: MediaValue): number[] {
  const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  return list
    .map((item) => (typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : item))
    .map(Number)
    .filter((id) => Number.isInteger(id) && id > 0);
}

/** Media fields the rules of a content type write to. */
export function attachedFields(config: PluginConfig, uid: string): string[] {
  return [...new Set(config.rules.filter((rule) => rule.contentType === uid).map((rule) => rule.target))];
}

/** The `updatedAt` the saving form was loaded with, when the request is an admin save that sent one. */
function formLoadedAt(strapi: Core.Strapi): Date | null {
  const body = (strapi.requestContext.get() as { request?: { body?: { updatedAt?: unknown } } } | undefined)?.request?.body;
  const loaded = typeof body?.updatedAt === 'string' ? new Date(body.updatedAt) : null;
  return loaded && !Number.isNaN(loaded.getTime()) ? loaded : null;
}

interface StaleSave {
  uid: string;
  documentId: string;
  locale: string | null;
  data: Record<string, unknown>;
  fields: string[];
  loadedAt: Date;
}

async function keepPluginFiles(strapi: Core.Strapi, save: StaleSave): Promise<void> {
  const multiple = (field: string) =>
    Boolean((strapi.contentType(save.uid as UID.ContentType)?.attributes?.[field] as { multiple?: boolean } | undefined)?.multiple);
  const draft = (await strapi.documents(save.uid as UID.ContentType).findOne({
    documentId: save.documentId,
    ...(save.locale ? { locale: save.locale } : {}),
    populate: save.fields,
  } as never)) as Record<string, unknown> | null;
  const draftUpdatedAt = draft?.updatedAt ? new Date(draft.updatedAt as string) : null;
  if (!draft || !draftUpdatedAt || draftUpdatedAt.getTime() <= save.loadedAt.getTime()) return;

  for (const field of save.fields) {
    const incoming = fileIds(save.data[field]);
    const dropped = fileIds(draft[field]).filter((id) => !incoming.includes(id));
    if (dropped.length === 0) continue;
    const jobs = (await strapi.db.query(JOB_UID).findMany({
      where: {
        contentType: save.uid,
        targetDocumentId: save.documentId,
        targetLocale: save.locale,
        attachedField: field,
        resultFileId: { $in: dropped },
        attachedAt: { $gt: save.loadedAt },
      },
      orderBy: { attachedAt: 'desc' },
    })) as Array<{ id: number; resultFileId: number }>;
    if (jobs.length === 0) continue;
    const kept = jobs.map((job) => job.resultFileId);
    save.data[field] = multiple(field) ? [...new Set([...incoming, ...kept])] : kept[0];
    strapi.log.info(
      `ai-assets: kept the file job ${jobs[0].id} attached to ${save.uid} ${save.documentId} "${field}": the save came from a form opened before the attach`
    );
  }
}

export function registerAttachedFileGuard(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.action !== 'update' || isPluginWrite()) return next();
    const params = context.params as { documentId?: string; locale?: string; data?: Record<string, unknown> };
    const data = params.data;
    const fields = data ? attachedFields(getService(strapi, 'config').get(), context.uid).filter((field) => field in data) : [];
    const loadedAt = fields.length > 0 ? formLoadedAt(strapi) : null;
    if (!data || !params.documentId || !loadedAt) return next();
    try {
      await keepPluginFiles(strapi, { uid: context.uid, documentId: params.documentId, locale: params.locale ?? null, data, fields, loadedAt });
    } catch (error) {
      strapi.log.error(`ai-assets: could not check a save of ${context.uid} ${params.documentId} against attached files: ${(error as Error).message}`);
    }
    return next();
  });
}
