/**
 * Trigger outcomes: what the latest create/update/publish of one document locale did for each rule it
 * evaluated (the job it queued, the job it duplicated, or why it queued nothing), so "nothing happened"
 * always has a reason an editor can read. One row per (rule, content type, document, locale) in a hidden
 * table, keyed by a unique hash of those four, and upserted with the latest outcome:
 * - an update whose WHERE also says "recorded no later than this one", so an older outcome that arrives
 *   late (another instance, a slow event) never overwrites a newer one;
 * - else an insert; when the key exists after all (a newer outcome, or another instance inserted it first),
 *   the unique index refuses ours and the guarded update runs again.
 * Written after commit by the document trigger, never inside the editor's request.
 */
import type { Core } from '@strapi/strapi';
import { TRIGGER_OUTCOME_UID } from '../content-types';
import type { TriggerEvent } from '../config/schema';
import { sha256 } from '../queue/hash';

/** `queued` and `duplicate` carry a job id; the others say why no job was queued. */
export const TRIGGER_OUTCOMES = ['queued', 'duplicate', 'target_set', 'locale_filtered', 'no_source', 'not_planned', 'failed'] as const;
export type TriggerOutcomeCode = (typeof TRIGGER_OUTCOMES)[number];

export interface TriggerOutcome {
  rule: string;
  contentType: string;
  documentId: string;
  locale: string | null;
  event: TriggerEvent;
  outcome: TriggerOutcomeCode;
  jobId: number | null;
  /** Readable detail (the planner's reason); never an internal error text. */
  reason: string | null;
  recordedAt: Date;
}

interface Row {
  rule: string;
  contentType: string;
  targetDocumentId: string;
  targetLocale: string | null;
  event: TriggerEvent;
  outcome: TriggerOutcomeCode;
  jobId: number | null;
  reason: string | null;
  recordedAt: string | Date;
}

/** NULL never equals NULL in a unique index, so the key hashes the locale as '' for content types without i18n. */
export function outcomeKey(outcome: Pick<TriggerOutcome, 'rule' | 'contentType' | 'documentId' | 'locale'>): string {
  return sha256(JSON.stringify([outcome.rule, outcome.contentType, outcome.documentId, outcome.locale ?? '']));
}

function fromRow(row: Row): TriggerOutcome {
  return {
    rule: row.rule,
    contentType: row.contentType,
    documentId: row.targetDocumentId,
    locale: row.targetLocale ?? null,
    event: row.event,
    outcome: row.outcome,
    jobId: row.jobId ?? null,
    reason: row.reason ?? null,
    recordedAt: new Date(row.recordedAt),
  };
}

export function createOutcomeStore({ strapi }: { strapi: Core.Strapi }) {
  const query = () => strapi.db.query(TRIGGER_OUTCOME_UID);

  return {
    /** Upserts the latest outcome of one (rule, content type, document, locale); an older one is dropped. */
    async record(outcome: TriggerOutcome): Promise<void> {
      const key = outcomeKey(outcome);
      const data = {
        rule: outcome.rule,
        contentType: outcome.contentType,
        targetDocumentId: outcome.documentId,
        targetLocale: outcome.locale,
        event: outcome.event,
        outcome: outcome.outcome,
        jobId: outcome.jobId,
        reason: outcome.reason,
        recordedAt: outcome.recordedAt,
      };
      const newerOrSame = { outcomeKey: key, recordedAt: { $lte: outcome.recordedAt } };
      if ((await query().updateMany({ where: newerOrSame, data })).count > 0) return;
      try {
        await query().create({ data: { outcomeKey: key, ...data } });
      } catch (error) {
        // The key exists: a newer outcome is stored, or another instance inserted it in between. The unique index
        // kept one row; update it if ours is newer. Any other error has no row to show for it: rethrow.
        if (!(await query().findOne({ select: ['id'], where: { outcomeKey: key } }))) throw error;
        await query().updateMany({ where: newerOrSame, data });
      }
    },

    /** The outcomes of one document (in one locale unless `locale` is undefined), one per rule and locale evaluated. */
    async forDocument(contentType: string, documentId: string, locale?: string | null): Promise<TriggerOutcome[]> {
      const inLocale = locale === undefined ? {} : { targetLocale: locale ?? { $null: true } };
      const rows = (await query().findMany({
        where: { contentType, targetDocumentId: documentId, ...inLocale },
        orderBy: [{ rule: 'asc' }],
      })) as Row[];
      return rows.map(fromRow);
    },

    /** Forgets a document locale's outcomes (it was deleted). */
    async forget(contentType: string, documentId: string, locale: string | null): Promise<void> {
      await query().deleteMany({ where: { contentType, targetDocumentId: documentId, targetLocale: locale ?? { $null: true } } });
    },
  };
}

export type OutcomeStore = ReturnType<typeof createOutcomeStore>;
