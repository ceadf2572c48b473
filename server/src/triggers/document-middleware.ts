/**
 * Document triggers: turns Strapi's entry events into jobs. Strapi's document service emits `entry.create`,
 * `entry.update` and `entry.publish` on its event hub once the write has committed, for every way an entry
 * changes: Document Service calls, `create` / `update` with `status: 'published'` (whose internal publish
 * runs below any Document Service middleware), the Content Manager (save, publish, bulk publish), the REST
 * API and Content Releases. Listening there sees each publish exactly once per locale, after commit, and adds
 * no statement to the editor's transaction. Only enqueues; never calls a provider; a failure to queue is
 * logged (and recovered by the publish sweep) without failing the editor's request.
 */
import type { Core } from '@strapi/strapi';
import type { RuleConfig, TriggerEvent } from '../config/schema';
import { rulesForEvent } from '../rules/match';
import { getService } from '../utils/get-service';
import { isPluginWrite } from './plugin-writes';

/** Strapi event-hub event -> the rule event it triggers. */
export const HUB_EVENTS: Record<string, TriggerEvent> = { 'entry.create': 'create', 'entry.update': 'update', 'entry.publish': 'publish' };

export interface DocumentTarget {
  documentId: string;
  locale: string | null;
}

/** The document and locale an entry event is about (null for events without a document). */
export function documentOf(entry: unknown): DocumentTarget | null {
  const { documentId, locale } = (entry ?? {}) as { documentId?: unknown; locale?: unknown };
  if (typeof documentId !== 'string' || !documentId) return null;
  return { documentId, locale: typeof locale === 'string' ? locale : null };
}

/** Plans and queues each rule for one document event; returns once every rule has been tried. */
export async function queueRules(strapi: Core.Strapi, uid: string, event: TriggerEvent, rules: RuleConfig[], target: DocumentTarget): Promise<void> {
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
      else if (!outcome.deduplicated) strapi.log.info(`ai-assets: rule ${rule.id} queued job ${outcome.job.id} for ${uid} ${target.documentId}`);
    } catch (error) {
      strapi.log.error(`ai-assets: could not queue rule ${rule.id} for ${target.documentId}: ${(error as Error).message}`);
    }
  }
}

/** Subscribes to the entry events; returns the function that unsubscribes. */
export function registerDocumentTrigger(strapi: Core.Strapi): () => void {
  const unsubscribers = Object.entries(HUB_EVENTS).map(([hubEvent, event]) =>
    strapi.eventHub.on(hubEvent, async (info: { uid?: string; entry?: unknown }) => {
      // Never throw or wait here: the hub awaits listeners in turn, and Strapi's webhooks listen after us.
      if (isPluginWrite() || !info?.uid) return;
      const rules = rulesForEvent(getService(strapi, 'config').get(), info.uid, event);
      const target = rules.length ? documentOf(info.entry) : null;
      if (target) void queueRules(strapi, info.uid, event, rules, target);
    })
  );
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}
