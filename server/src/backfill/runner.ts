/**
 * One paging step of a backfill, run by whichever instance claimed it: read one page of entries after the
 * cursor, plan each with the rule (no provider call), then either estimate (count, dedupe, price) or
 * enqueue linked jobs, and record the progress with the new cursor in one compare-and-set.
 */
import type { Core } from '@strapi/strapi';
import type { BackfillConfig, RuleConfig } from '../config/schema';
import type { JobCostEstimator } from '../providers/estimate';
import { PlanError } from '../errors/domain';
import type { Plan, PlanRequest } from '../services/planner';
import type { Job, NewJob } from '../queue/types';
import type { BackfillJobs } from './backfill-jobs';
import { createEntryPager, type EntryRow } from './pager';
import type { BackfillStore } from './store';
import type { Backfill } from './types';

export interface RunnerDeps {
  strapi: Core.Strapi;
  store: BackfillStore;
  backfillJobs: BackfillJobs;
  findRule(id: string): RuleConfig | undefined;
  plan(request: PlanRequest): Promise<Plan>;
  loadEntries(rule: RuleConfig, documentIds: string[], locale: string | null): Promise<Map<string, Record<string, unknown>>>;
  findDuplicate(inputHash: string): Promise<Job | null>;
  /** Deduplicated insert of a page's jobs in one statement. */
  enqueueMany(jobs: NewJob[]): Promise<{ inserted: number; deduplicated: number }>;
  estimate: JobCostEstimator;
  config(): BackfillConfig;
  log: { debug(message: string): void; warn(message: string): void };
}

const roundUsd = (value: number) => Math.round(value * 1_000_000) / 1_000_000;

/** The backfill's own mode wins over the rule's (the planner put the rule's on the job). */
function modeOf(backfill: Backfill, job: NewJob): NewJob['mode'] {
  const mode = backfill.mode ?? job.mode;
  return mode === 'batch' && job.operation === 'generate' ? 'batch' : null;
}

export function createBackfillRunner(deps: RunnerDeps) {
  const { store, backfillJobs, log } = deps;

  /** The page's entries, loaded with one query per locale instead of one per entry. */
  async function loadPage(rule: RuleConfig, rows: EntryRow[]): Promise<Map<string, Record<string, unknown>>> {
    const byLocale = new Map<string | null, string[]>();
    for (const row of rows) byLocale.set(row.locale, [...(byLocale.get(row.locale) ?? []), row.documentId]);
    const loaded = new Map<string, Record<string, unknown>>();
    for (const [locale, documentIds] of byLocale) {
      for (const [documentId, entry] of await deps.loadEntries(rule, documentIds, locale)) loaded.set(`${documentId}:${locale}`, entry);
    }
    return loaded;
  }

  /** The planner's answer for one entry; a plan error (entry gone, prompt renders empty) is a skip, not a stop. */
  async function planEntry(backfill: Backfill, rule: RuleConfig, row: EntryRow, entries: Map<string, Record<string, unknown>>): Promise<Plan> {
    try {
      const entry = entries.get(`${row.documentId}:${row.locale}`);
      return await deps.plan({ rule, documentId: row.documentId, locale: row.locale, trigger: 'backfill', ignoreOnlyIfEmpty: !backfill.onlyIfEmpty, createdByUserId: backfill.createdByUserId, entry });
    } catch (error) {
      if (!(error instanceof PlanError)) throw error;
      log.debug(`ai-assets: backfill ${backfill.id} skips ${row.documentId}: ${error.message}`);
      return { kind: 'skip', reason: error.message };
    }
  }

  function pager(backfill: Backfill, rule: RuleConfig) {
    return createEntryPager(deps.strapi, rule, backfill.filters ?? {}, backfill.locale);
  }

  async function estimateStep(backfill: Backfill, rule: RuleConfig, version: number): Promise<boolean> {
    const { rows, last, more } = await pager(backfill, rule).page(backfill.cursor, deps.config().pageSize);
    const entries = await loadPage(rule, rows);
    const skipped = { duplicate: 0, hasImage: 0, other: 0, ...backfill.estimateSkipped };
    let toQueue = 0;
    let usd = 0;
    let unpriced = 0;
    // Two rows with the same inputs (rare, but possible) would dedupe against each other when run.
    const hashes = new Set<string>();
    for (const row of rows) {
      const plan = await planEntry(backfill, rule, row, entries);
      if (plan.kind === 'skip') {
        if (plan.code === 'has_file') skipped.hasImage += 1;
        else skipped.other += 1;
        continue;
      }
      if (hashes.has(plan.job.inputHash) || (await deps.findDuplicate(plan.job.inputHash))) {
        skipped.duplicate += 1;
        continue;
      }
      hashes.add(plan.job.inputHash);
      toQueue += 1;
      const cost = deps.estimate({ provider: plan.job.provider, operation: plan.job.operation, params: plan.job.params, mode: modeOf(backfill, plan.job) });
      if (cost === undefined) unpriced += 1;
      else usd += cost;
    }
    const progress: Partial<Backfill> = {
      cursor: more ? last : 0,
      matched: backfill.matched + rows.length,
      toQueue: backfill.toQueue + toQueue,
      estimateSkipped: skipped,
      estimatedUsd: roundUsd(Number(backfill.estimatedUsd ?? 0) + usd),
      unpricedJobs: backfill.unpricedJobs + unpriced,
      ...(more ? {} : { status: 'ready' as const }),
    };
    const recorded = await store.finishStep(backfill.id, version, progress, ['estimating']);
    if (recorded && !more) await store.startIfRequested(backfill.id);
    return recorded && more;
  }

  async function runStep(backfill: Backfill, rule: RuleConfig, version: number): Promise<boolean> {
    if (backfill.pagingDone) {
      // Everything is queued: the backfill is done once its last job left the queue.
      const finished = (await backfillJobs.countInFlight(backfill.id)) === 0;
      await store.finishStep(backfill.id, version, finished ? { status: 'done', finishedAt: new Date() } : {}, ['running']);
      return false;
    }
    // Don't run ahead of the provider: the queue holds at most maxQueuedPerBackfill of this backfill's jobs.
    const room = deps.config().maxQueuedPerBackfill - (await backfillJobs.countQueued(backfill.id));
    if (room <= 0) {
      await store.releaseStep(backfill.id, version);
      return false;
    }
    const { rows, last, more } = await pager(backfill, rule).page(backfill.cursor, Math.min(deps.config().pageSize, room));
    const entries = await loadPage(rule, rows);
    const counts = { queued: 0, skippedDuplicate: 0, skippedHasImage: 0, skippedOther: 0 };
    const jobs: NewJob[] = [];
    for (const row of rows) {
      const plan = await planEntry(backfill, rule, row, entries);
      if (plan.kind === 'skip') counts[plan.code === 'has_file' ? 'skippedHasImage' : 'skippedOther'] += 1;
      else jobs.push({ ...plan.job, backfillId: backfill.id, mode: modeOf(backfill, plan.job) });
    }
    const { inserted, deduplicated } = await deps.enqueueMany(jobs);
    counts.queued = inserted;
    counts.skippedDuplicate = deduplicated;
    const processed = backfill.processed + rows.length;
    await store.finishStep(backfill.id, version, {
      cursor: last,
      pagingDone: !more,
      processed,
      matched: Math.max(backfill.matched, processed),
      queued: backfill.queued + counts.queued,
      skippedDuplicate: backfill.skippedDuplicate + counts.skippedDuplicate,
      skippedHasImage: backfill.skippedHasImage + counts.skippedHasImage,
      skippedOther: backfill.skippedOther + counts.skippedOther,
    });
    // Paused or canceled while this page was being queued: the new jobs follow the backfill's state.
    const current = await store.findById(backfill.id);
    if (current?.status === 'canceled') await backfillJobs.cancelQueued(backfill.id);
    if (current?.status === 'paused') await backfillJobs.hold(backfill.id);
    return current?.status === 'running';
  }

  return {
    /** Runs one step under the claim `version` and always gives the step back; true when more work is ready now. */
    async step(backfill: Backfill, version: number): Promise<boolean> {
      const rule = deps.findRule(backfill.rule);
      if (!rule) {
        await store.finishStep(backfill.id, version, { status: 'canceled', finishedAt: new Date(), errorMessage: `Rule "${backfill.rule}" is no longer configured.` });
        return false;
      }
      try {
        return backfill.status === 'estimating' ? await estimateStep(backfill, rule, version) : await runStep(backfill, rule, version);
      } catch (error) {
        await store.releaseStep(backfill.id, version).catch(() => undefined);
        log.warn(`ai-assets: backfill ${backfill.id} step failed (will retry): ${(error as Error).message}`);
        return false;
      }
    },
  };
}

export type BackfillRunner = ReturnType<typeof createBackfillRunner>;
