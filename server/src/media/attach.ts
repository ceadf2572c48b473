/**
 * Attaching a Media Library file to an entry's media field, for the right document and locale.
 *
 * The draft is updated through the Document Service (so the Content Manager shows it). When the document is
 * published, the published row gets the same file through the query engine instead of `publish()`:
 * publishing would also push any unrelated draft edits an editor has not published yet.
 */
import type { Core, UID } from '@strapi/strapi';
import { NonRetryableError } from '../providers/errors';
import { runAsPluginWrite } from '../triggers/plugin-writes';

export interface AttachTarget {
  contentType: string;
  documentId: string;
  locale: string | null;
  field: string;
}

type MediaAttribute = { type: 'media'; multiple?: boolean };

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

  /** File ids now in the field, for multiple media fields (the new file is appended, not swapped in). */
  function currentIds(value: unknown): number[] {
    if (Array.isArray(value)) return value.map((file) => (file as { id: number }).id);
    return value && typeof value === 'object' ? [(value as { id: number }).id] : [];
  }

  return {
    mediaAttribute,

    async attach(target: AttachTarget, fileId: number, { publishToLive }: { publishToLive: boolean }): Promise<{ published: boolean }> {
      const attribute = mediaAttribute(target.contentType, target.field);
      const uid = target.contentType as UID.ContentType;
      const documents = strapi.documents(uid);
      const locale = localeParams(target.contentType, target.locale);

      const draft = await documents.findOne({ documentId: target.documentId, ...locale, populate: [target.field] } as never);
      if (!draft) throw new NonRetryableError('entry_not_found', `The entry ${target.documentId} no longer exists.`);
      const value = attribute.multiple
        ? [...new Set([...currentIds((draft as Record<string, unknown>)[target.field]), fileId])]
        : fileId;

      await runAsPluginWrite(() => documents.update({ documentId: target.documentId, ...locale, data: { [target.field]: value } } as never));

      const hasDraftAndPublish = Boolean((strapi.contentType(uid) as { options?: { draftAndPublish?: boolean } }).options?.draftAndPublish);
      if (!hasDraftAndPublish || !publishToLive) return { published: false };

      const published = (await strapi.db.query(uid).findOne({
        where: { documentId: target.documentId, ...locale, publishedAt: { $notNull: true } },
        populate: [target.field],
      })) as Record<string, unknown> | null;
      if (!published) return { published: false };
      const publishedValue = attribute.multiple ? [...new Set([...currentIds(published[target.field]), fileId])] : fileId;
      await runAsPluginWrite(() => strapi.db.query(uid).update({ where: { id: published.id }, data: { [target.field]: publishedValue } }));
      return { published: true };
    },
  };
};

export type Attacher = ReturnType<typeof createAttacher>;
