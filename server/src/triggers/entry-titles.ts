/**
 * Jobs keep a copy of their entry's title (the jobs list shows and searches it without loading every entry).
 * Each write of an entry whose content type has rules renames that entry's jobs, after commit, in one UPDATE
 * that touches only rows whose title differs: a job shows the entry's current title, not the one it was
 * queued with.
 */
import type { Core } from '@strapi/strapi';
import { entryLabel, isLocalized } from '../rules/content-schema';
import { getService } from '../utils/get-service';
import type { DocumentTarget } from './document-middleware';

export async function refreshJobTitles(strapi: Core.Strapi, uid: string, target: DocumentTarget, entry: Record<string, unknown>): Promise<void> {
  try {
    const locale = isLocalized(strapi, uid) ? target.locale : null;
    await getService(strapi, 'jobStore').retitle(uid, target.documentId, locale, entryLabel(strapi, uid, entry));
  } catch (error) {
    strapi.log.warn(`ai-assets: could not update the title of the jobs of ${uid} ${target.documentId}: ${(error as Error).message}`);
  }
}
