/**
 * Document Service middleware: sees publish / create / update on content types that have rules and only
 * enqueues, after the surrounding transaction commits. It never calls a provider, and an enqueue failure
 * is logged without failing the editor's request.
 */
import type { Core } from '@strapi/strapi';
import type { TriggerEvent } from '../config/schema';
import { rulesForEvent } from '../rules/match';
import { getService } from '../utils/get-service';
import { isPluginWrite } from './plugin-writes';

const EVENTS = new Set<string>(['publish', 'create', 'update']);

interface DocumentTarget {
  documentId: string;
  locale: string | null;
}

/** The documents (and locales) an action touched, read from its result. */
export function touchedDocuments(action: string, result: unknown): DocumentTarget[] {
  const rows: unknown[] =
    action === 'publish' ? ((result as { entries?: unknown[] } | null)?.entries ?? []) : result ? [result] : [];
  const targets = new Map<string, DocumentTarget>();
  for (const row of rows) {
    const { documentId, locale } = (row ?? {}) as { documentId?: string; locale?: string | null };
    if (documentId) targets.set(`${documentId}:${locale ?? ''}`, { documentId, locale: locale ?? null });
  }
  return [...targets.values()];
}

export function registerDocumentTrigger(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    const result = await next();
    if (!EVENTS.has(context.action) || isPluginWrite()) return result;

    const event = context.action as TriggerEvent;
    const rules = rulesForEvent(getService(strapi, 'config').get(), context.uid, event);
    if (rules.length === 0) return result;
    const targets = touchedDocuments(context.action, result);

    const enqueueAll = async () => {
      for (const target of targets) {
        for (const rule of rules) {
          try {
            const outcome = await getService(strapi, 'jobs').planAndEnqueue({
              rule,
              documentId: target.documentId,
              locale: target.locale,
              trigger: event,
              status: event === 'publish' ? 'published' : 'draft',
            });
            if ('skipped' in outcome) strapi.log.debug(`ai-assets: rule ${rule.id} skipped ${target.documentId}: ${outcome.skipped}`);
            else if (!outcome.deduplicated) strapi.log.info(`ai-assets: rule ${rule.id} queued job ${outcome.job.id} for ${context.uid} ${target.documentId}`);
          } catch (error) {
            strapi.log.error(`ai-assets: could not queue rule ${rule.id} for ${target.documentId}: ${(error as Error).message}`);
          }
        }
      }
    };

    try {
      // Admin publishes run inside an outer transaction: enqueue only once it has committed.
      await strapi.db.transaction(async ({ onCommit }) => {
        onCommit(() => void enqueueAll());
      });
    } catch (error) {
      strapi.log.error(`ai-assets: could not schedule rules for ${context.uid}: ${(error as Error).message}`);
    }
    return result;
  });
}
