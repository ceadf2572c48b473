/**
 * Pages through the entries a backfill covers with keyset pagination on the row id: each page is one
 * indexed range query, so memory stays flat whatever the catalog size and a restart resumes at the cursor.
 * One row is one (document, locale) pair; for draft & publish types only the draft rows are read.
 */
import type { Core, UID } from '@strapi/strapi';
import type { RuleConfig } from '../config/schema';
import { hasDraftAndPublish, isLocalized } from '../rules/content-schema';

export interface EntryRow {
  id: number;
  documentId: string;
  locale: string | null;
}

export function createEntryPager(strapi: Core.Strapi, rule: RuleConfig, filters: Record<string, unknown>, locale: string | null) {
  const conditions: Array<Record<string, unknown>> = [];
  if (Object.keys(filters).length) conditions.push(filters);
  if (hasDraftAndPublish(strapi, rule.contentType)) conditions.push({ publishedAt: { $null: true } });
  if (isLocalized(strapi, rule.contentType)) {
    if (locale) conditions.push({ locale });
    else if (rule.locales?.length) conditions.push({ locale: { $in: rule.locales } });
  }
  const query = () => strapi.db.query(rule.contentType as UID.ContentType);
  const select = isLocalized(strapi, rule.contentType) ? ['id', 'documentId', 'locale'] : ['id', 'documentId'];

  return {
    count: (): Promise<number> => query().count({ where: { $and: conditions } }),

    /** Up to `limit` rows after `afterId`; `last` is the cursor to continue from, `more` whether rows may remain. */
    async page(afterId: number, limit: number): Promise<{ rows: EntryRow[]; last: number; more: boolean }> {
      const rows = (await query().findMany({
        select,
        where: { $and: [...conditions, { id: { $gt: afterId } }] },
        orderBy: { id: 'asc' },
        limit,
      })) as Array<{ id: number; documentId: string; locale?: string | null }>;
      // A filter through a to-many relation can repeat a row.
      const seen = new Set<number>();
      return {
        rows: rows.filter((row) => !seen.has(row.id) && seen.add(row.id)).map((row) => ({ id: row.id, documentId: row.documentId, locale: row.locale ?? null })),
        last: rows.length ? Math.max(...rows.map((row) => row.id)) : afterId,
        more: rows.length === limit,
      };
    },
  };
}
