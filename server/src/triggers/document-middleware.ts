/**
 * Document triggers: turns Strapi's entry events into jobs. Strapi's document service emits `entry.create`,
 * `entry.update` and `entry.publish` on its event hub once the write has committed, for every way an entry
 * changes: Document Service calls, `create` / `update` with `status: 'published'` (whose internal publish
 * runs below any Document Service middleware), the Content Manager (save, publish, bulk publish), the REST
 * API and Content Releases. Listening there sees each publish exactly once per locale, after commit, and adds
 * no statement to the editor's transaction. Only enqueues, records each rule's outcome (outcome-store.ts) and
 * renames the entry's jobs (entry-titles.ts); never calls a provider; a failure to queue is logged (and
 * recovered by the publish sweep) without failing the editor's request.
 */
import type { Core } from '@strapi/strapi';
import type { RuleConfig, TriggerEvent } from '../config/schema';
import { rulesForEvent } from '../rules/match';
import { isLocalized } from '../rules/content-schema';
import { getService } from '../utils/get-service';
import { isPluginWrite } from './plugin-writes';
import { refreshJobTitles } from './entry-titles';
import { PlanError } from '../errors/domain';
import type { JobService } from '../services/jobs';
import type { SkipCode } from '../services/planner';
import type { TriggerOutcome, TriggerOutcomeCode } from './outcome-store';

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

type Planned = Awaited<ReturnType<JobService['planAndEnqueue']>>;
type OutcomeOf = Pick<TriggerOutcome, 'outcome' | 'jobId' | 'reason'>;

const SKIP_OUTCOMES: Record<SkipCode, TriggerOutcomeCode> = { has_file: 'target_set', locale: 'locale_filtered', no_source: 'no_source', plan_error: 'not_planned' };

/** What one rule's plan-and-enqueue did, as the outcome an editor reads. */
export function outcomeOf(planned: Planned): OutcomeOf {
  if ('skipped' in planned) return { outcome: SKIP_OUTCOMES[planned.code], jobId: null, reason: planned.skipped };
  return { outcome: planned.deduplicated ? 'duplicate' : 'queued', jobId: planned.job.id, reason: null };
}

/** A plan error is the editor's to read (prompt renders empty, entry gone); anything else stays in the log. */
function outcomeOfError(error: unknown): OutcomeOf {
  return error instanceof PlanError ? { outcome: 'not_planned', jobId: null, reason: error.message } : { outcome: 'failed', jobId: null, reason: null };
}

/** Plans and queues each rule for one document event, records each rule's outcome; returns once every rule has been tried. */
export async function queueRules(strapi: Core.Strapi, uid: string, event: TriggerEvent, rules: RuleConfig[], target: DocumentTarget): Promise<void> {
  const recordedAt = new Date();
  for (const rule of rules) {
    let outcome: OutcomeOf;
    try {
      const planned = await getService(strapi, 'jobs').planAndEnqueue({
        rule,
        documentId: target.documentId,
        locale: target.locale,
        trigger: event,
        status: event === 'publish' ? 'published' : 'draft',
      });
      outcome = outcomeOf(planned);
      if ('skipped' in planned) strapi.log.debug(`ai-assets: rule ${rule.id} skipped ${target.documentId}: ${planned.skipped}`);
      else if (!planned.deduplicated) strapi.log.info(`ai-assets: rule ${rule.id} queued job ${planned.job.id} for ${uid} ${target.documentId}`);
    } catch (error) {
      outcome = outcomeOfError(error);
      strapi.log.error(`ai-assets: could not queue rule ${rule.id} for ${target.documentId}: ${(error as Error).message}`);
    }
    try {
      await getService(strapi, 'triggerOutcomes').record({ rule: rule.id, contentType: uid, documentId: target.documentId, locale: target.locale, event, ...outcome, recordedAt });
    } catch (error) {
      strapi.log.warn(`ai-assets: could not record the outcome of rule ${rule.id} for ${target.documentId}: ${(error as Error).message}`);
    }
  }
}

/** Subscribes to the entry events; returns the function that unsubscribes. */
export function registerDocumentTrigger(strapi: Core.Strapi): () => void {
  const unsubscribers = Object.entries(HUB_EVENTS).map(([hubEvent, event]) =>
    strapi.eventHub.on(hubEvent, async (info: { uid?: string; entry?: unknown }) => {
      // Never throw or wait here: the hub awaits listeners in turn, and Strapi's webhooks listen after us.
      if (isPluginWrite() || !info?.uid) return;
      const config = getService(strapi, 'config').get();
      if (!config.rules.some((rule) => rule.contentType === info.uid)) return;
      const target = documentOf(info.entry);
      if (!target) return;
      const rules = rulesForEvent(config, info.uid, event);
      const { uid } = info;
      void (async () => {
        if (rules.length) await queueRules(strapi, uid, event, rules, target);
        // A created entry (or locale) has no older jobs to rename.
        if (event !== 'create') await refreshJobTitles(strapi, uid, target, info.entry as Record<string, unknown>);
      })();
    })
  );
  // A deleted document locale has no "last publish" any more.
  unsubscribers.push(
    strapi.eventHub.on('entry.delete', async (info: { uid?: string; entry?: unknown }) => {
      const target = info?.uid ? documentOf(info.entry) : null;
      if (!target || !getService(strapi, 'config').get().rules.some((rule) => rule.contentType === info.uid)) return;
      const locale = isLocalized(strapi, info.uid as string) ? target.locale : null;
      void getService(strapi, 'triggerOutcomes')
        .forget(info.uid as string, target.documentId, locale)
        .catch((error: Error) => strapi.log.warn(`ai-assets: could not forget the trigger outcomes of ${target.documentId}: ${error.message}`));
    })
  );
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}
