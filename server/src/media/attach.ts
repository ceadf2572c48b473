/**
 * Attaching a Media Library file to an entry's media field, for the right document and locale.
 *
 * The draft is updated through the Document Service (so the Content Manager shows it). When the document is
 * published, the published row gets the same file through the query engine instead of `publish()`:
 * publishing would also push any unrelated draft edits an editor has not published yet. Strapi's webhooks then
 * hear about the live change through one `entry.publish` event (see events/entry-events.ts).
 *
 * No lost updates: appending to a multiple-media field is a read-modify-write, so it runs in one transaction
 * that first locks the document's rows (`SELECT ... FOR UPDATE` on PostgreSQL / MySQL; SQLite allows one
 * writer at a time and fails a stale writer instead of overwriting). Two jobs attaching to one field at once,
 * in one process or many, both end attached; draft and live change together or not at all. When the database
 * breaks a deadlock by rolling the transaction back (MySQL's gap locks on the media link table meet this with
 * two entries attached at once), the whole transaction runs again instead of failing the job's attempt.
 */
import type { Core, UID } from '@strapi/strapi';
import { NonRetryableError } from '../providers/errors';
import { runAsPluginWrite } from '../triggers/plugin-writes';
import { emitEntryEvent } from '../events/entry-events';
import { retryOnLockConflict } from '../utils/lock-conflict';

export interface AttachTarget {
  contentType: string;
  documentId: string;
  locale: string | null;
  field: string;
}

type MediaAttribute = { type: 'media'; multiple?: boolean };

/** File ids now in the field (the new file is appended to multiple fields, not swapped in). */
function currentIds(value: unknown): number[] {
  if (Array.isArray(value)) return value.map((file) => (file as { id: number }).id);
  return value && typeof value === 'object' ? [(value as { id: number }).id] : [];
}

export const createAttacher = ({ strapi }: { strapi: Core.Strapi }) => {
  function mediaAttribute(contentType: string, field: string): MediaAttribute {
    const attribute = strapi.contentType(contentType as UID.ContentType)?.attributes?.[field] as MediaAttribute | undefined;
    if (!attribute || attribute.type !== 'media') {
      throw new NonRetryableError('invalid_target', `"${field}" is not a media field of ${contentType}.`);
    }
    return attribute;
  }

  function localeParams(contentType: string, locale: string | null) {
    const localized = Boolean((strapi.contentType(contentType as UID.ContentType) as { pluginOptions?: { i18n?: { localized?: boolean } } }).pluginOptions?.i18n?.localized);
    return localized && locale ? { locale } : {};
  }

  /** Serialises attaches to one document and locale across processes until the surrounding transaction ends. */
  async function lockDocument(uid: UID.ContentType, where: Record<string, unknown>, trx: unknown): Promise<void> {
    if (strapi.db.dialect.client === 'sqlite') return;
    await strapi.db.queryBuilder(uid).select(['id']).where(where).forUpdate().transacting(trx as never).execute();
  }

  return {
    mediaAttribute,

    async attach(target: AttachTarget, fileId: number, { publishToLive }: { publishToLive: boolean }): Promise<{ published: boolean }> {
      const attribute = mediaAttribute(target.contentType, target.field);
      const uid = target.contentType as UID.ContentType;
      const documents = strapi.documents(uid);
      const locale = localeParams(target.contentType, target.locale);
      const hasDraftAndPublish = Boolean((strapi.contentType(uid) as { options?: { draftAndPublish?: boolean } }).options?.draftAndPublish);
      const withFile = (value: unknown) => (attribute.multiple ? [...new Set([...currentIds(value), fileId])] : fileId);

      const attachInTransaction = () =>
        strapi.db.transaction(async ({ trx }) => {
          await lockDocument(uid, { documentId: target.documentId, ...locale }, trx);
          const draft = await documents.findOne({ documentId: target.documentId, ...locale, populate: [target.field] } as never);
          if (!draft) throw new NonRetryableError('entry_not_found', `The entry ${target.documentId} no longer exists.`);
          await documents.update({ documentId: target.documentId, ...locale, data: { [target.field]: withFile((draft as Record<string, unknown>)[target.field]) } } as never);

          if (!hasDraftAndPublish || !publishToLive) return null;
          const published = (await strapi.db.query(uid).findOne({
            where: { documentId: target.documentId, ...locale, publishedAt: { $notNull: true } },
            populate: [target.field],
          })) as Record<string, unknown> | null;
          if (!published) return null;
          await strapi.db.query(uid).update({ where: { id: published.id }, data: { [target.field]: withFile(published[target.field]) } });
          return published.id as number;
        });
      // A transaction of our own that was rolled back can run again; a part of a caller's transaction cannot.
      const liveRowId = await runAsPluginWrite(() => (strapi.db.inTransaction() ? attachInTransaction() : retryOnLockConflict(attachInTransaction)));
      // After commit: the site revalidates on this event and must read the new file.
      if (liveRowId !== null) {
        await emitEntryEvent(strapi, 'entry.publish', uid, liveRowId).catch((error) =>
          strapi.log.error(`ai-assets: could not announce the attach to ${target.documentId}: ${(error as Error).message}`)
        );
      }
      return { published: liveRowId !== null };
    },
  };
};

export type Attacher = ReturnType<typeof createAttacher>;
