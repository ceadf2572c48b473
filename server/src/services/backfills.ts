/**
 * Backfills: run a rule over every entry of its content type that matches a filter. Creating one estimates
 * first (nothing is paid); a POST without dryRun, or `start`, confirms. Each instance drives paging steps from
 * a timer; a step is claimed with a compare-and-set, so a restart or a second instance resumes at the cursor.
 */
import type { Core } from '@strapi/strapi';
import { findRule } from '../rules/match';
import { createJobCostEstimator } from '../providers/estimate';
import { budgetApplies, budgetUsage } from '../queue/budget-gate';
import { createBackfillJobs } from '../backfill/backfill-jobs';
import { FilterError, normalizeFilters } from '../backfill/filters';
import { templateAccessOf } from '../rules/template-access';
import { createBackfillRunner } from '../backfill/runner';
import { createBackfillStore } from '../backfill/store';
import { STEPPING_STATUSES, type Backfill, type BackfillStatus } from '../backfill/types';
import { toBackfillView, type BackfillView } from '../backfill/view';
import { getService } from '../utils/get-service';
import { asksForSeveralImages, SEVERAL_IMAGES_IN_BATCH, type JobMode } from '../config/schema';
import { PlanError } from '../errors/domain';
import { JobStateError } from '../queue/errors';
import type { JobStore } from '../queue/job-store';
import { createSpendReader } from '../queue/spend';

export interface CreateBackfillInput {
  ruleId: string;
  filters?: Record<string, unknown>;
  locale?: string | null;
  onlyIfEmpty?: boolean;
  mode?: JobMode;
  dryRun?: boolean;
  userId?: number;
  via: 'admin' | 'api';
  /** Who asked, for the record (see `startedBy` in the backfills controller). */
  startedBy?: string | null;
}

/** A step loop keeps one backfill at most this long before looking at the others. */
const SLICE_MS = 5000;
const RATE_WINDOW_MS = 10 * 60 * 1000;

export const createBackfillService = ({ strapi, store: jobStore }: { strapi: Core.Strapi; store: JobStore }) => {
  const store = createBackfillStore({ strapi });
  const spend = createSpendReader({ strapi });
  const backfillJobs = createBackfillJobs({ strapi });
  const config = () => getService(strapi, 'config').get();
  const estimate = (job: Parameters<ReturnType<typeof createJobCostEstimator>>[0]) => createJobCostEstimator(getService(strapi, 'providers'))(job);
  const runner = createBackfillRunner({
    strapi,
    store,
    backfillJobs,
    findRule: (id) => findRule(config(), id),
    plan: (request) => getService(strapi, 'planner').plan(request),
    loadEntries: (rule, documentIds, locale) => getService(strapi, 'planner').loadEntries(rule, documentIds, locale),
    findDuplicate: (hash) => jobStore.findActive(hash),
    enqueueMany: (jobs) => jobStore.insertMany(jobs),
    estimate,
    config: () => config().backfill,
    log: strapi.log,
  });

  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let stopped = true;

  async function tick(): Promise<boolean> {
    let progressed = false;
    const now = new Date();
    for (const candidate of await store.findSteppable(now, 10)) {
      let current: Backfill | null = candidate;
      const sliceEnd = Date.now() + SLICE_MS;
      while (current && !stopped && Date.now() < sliceEnd && STEPPING_STATUSES.includes(current.status)) {
        const version = await store.claimStep(current, config().backfill.stepLeaseMs);
        if (version === null) break;
        const more = await runner.step(current, version);
        progressed ||= more;
        if (!more) break;
        current = await store.findById(current.id);
      }
    }
    return progressed;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (ticking) return schedule(config().backfill.tickMs);
      ticking = tick()
        .then((progressed) => schedule(progressed ? 0 : config().backfill.tickMs))
        .catch((error) => {
          strapi.log.error(`ai-assets: backfill tick failed: ${(error as Error).message}`);
          schedule(config().backfill.tickMs);
        })
        .finally(() => {
          ticking = null;
        }) as Promise<void>;
    }, delayMs);
    timer.unref?.();
  }

  /** Look for paging work now (after a create/start/resume in this process). */
  function kick(): void {
    if (!ticking && !stopped) schedule(0);
  }

  async function mustFind(id: number): Promise<Backfill> {
    const backfill = await store.findById(id);
    if (!backfill) throw new PlanError(`Backfill ${id} does not exist.`, 'not_found');
    return backfill;
  }

  async function view(backfill: Backfill): Promise<BackfillView> {
    const rule = findRule(config(), backfill.rule);
    const provider = rule?.provider ?? config().defaultProvider;
    const applicable = config().budgets.filter((budget) => budgetApplies(budget, { provider, rule: backfill.rule }));
    const [jobs, budgets, finishedRecently, batches] = await Promise.all([
      backfillJobs.summary(backfill.id),
      budgetUsage(applicable, spend),
      backfillJobs.finishedSince(backfill.id, new Date(Date.now() - RATE_WINDOW_MS)),
      backfill.mode === 'batch' ? getService(strapi, 'batches').listForBackfill(backfill.id) : Promise.resolve([]),
    ]);
    // Rate over the time the backfill actually ran within the window, so a fresh run's ETA is not 10x too long.
    const ranFor = Math.min(RATE_WINDOW_MS, Date.now() - new Date(backfill.startedAt ?? Date.now()).getTime());
    return toBackfillView(backfill, jobs, { budgets, finishedPerSecond: ranFor > 0 ? finishedRecently / (ranFor / 1000) : 0, batches });
  }

  async function transitionOrConflict(id: number, from: BackfillStatus[], data: Partial<Backfill>, action: string): Promise<Backfill> {
    const backfill = await mustFind(id);
    if (!from.includes(backfill.status) || !(await store.transition(id, from, data))) {
      const current = (await store.findById(id)) ?? backfill;
      throw new JobStateError(`Cannot ${action} backfill ${id}: it is ${current.status}.`);
    }
    return (await store.findById(id)) as Backfill;
  }

  /** Waits briefly for a fresh backfill's estimate so small catalogs answer in one request. */
  async function settleEstimate(id: number, waitMs: number): Promise<Backfill> {
    const deadline = Date.now() + waitMs;
    let backfill = await mustFind(id);
    while (backfill.status === 'estimating' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      backfill = await mustFind(id);
    }
    return backfill;
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },

    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await ticking;
    },

    kick,

    async create(input: CreateBackfillInput): Promise<BackfillView> {
      const rule = findRule(config(), input.ruleId);
      if (!rule) throw new PlanError(`Rule "${input.ruleId}" is not configured.`, 'not_found');
      const mode = input.mode ?? rule.mode;
      const providerName = rule.provider ?? config().defaultProvider;
      if (mode === 'batch' && (rule.operation !== 'generate' || !getService(strapi, 'providers').find(providerName)?.batch)) {
        throw new PlanError(`mode "batch" needs a rule that generates with a provider offering a Batch API (openai); rule "${rule.id}" uses "${providerName}".`);
      }
      if (mode === 'batch' && asksForSeveralImages(rule.params)) {
        throw new PlanError(`mode "batch" cannot run rule "${rule.id}": its params.n ${SEVERAL_IMAGES_IN_BATCH}.`);
      }
      let filters: Record<string, unknown>;
      try {
        filters = normalizeFilters(strapi, rule.contentType, input.filters, templateAccessOf(config()));
      } catch (error) {
        if (error instanceof FilterError) throw new PlanError(error.message);
        throw error;
      }
      const created = await store.insert({
        rule: rule.id,
        contentType: rule.contentType,
        filters,
        locale: input.locale ?? null,
        onlyIfEmpty: input.onlyIfEmpty ?? rule.onlyIfEmpty,
        mode,
        status: 'estimating',
        startWhenReady: !input.dryRun,
        cursor: 0,
        stepVersion: 0,
        estimateSkipped: { duplicate: 0, hasImage: 0, other: 0 },
        createdByUserId: input.userId ?? null,
        createdVia: input.via,
        createdByName: input.startedBy ?? null,
      });
      kick();
      return view(await settleEstimate(created.id, 3000));
    },

    async get(id: number): Promise<BackfillView> {
      return view(await mustFind(id));
    },

    async list(): Promise<BackfillView[]> {
      return Promise.all((await store.list(50)).map(view));
    },

    async startRun(id: number): Promise<BackfillView> {
      const backfill = await mustFind(id);
      // Confirmed while the estimate still runs: it starts as soon as the estimate is done.
      const updated =
        backfill.status === 'estimating'
          ? await transitionOrConflict(id, ['estimating'], { startWhenReady: true }, 'start')
          : await transitionOrConflict(id, ['ready'], { status: 'running', cursor: 0, startedAt: new Date() }, 'start');
      // The estimate may have finished between the two reads.
      if (updated.status === 'ready') await store.startIfRequested(id);
      kick();
      return view((await store.findById(id)) as Backfill);
    },

    async pause(id: number): Promise<BackfillView> {
      const paused = await transitionOrConflict(id, ['running'], { status: 'paused' }, 'pause');
      await backfillJobs.hold(id);
      return view(paused);
    },

    async resume(id: number): Promise<BackfillView> {
      const resumed = await transitionOrConflict(id, ['paused'], { status: 'running' }, 'resume');
      await backfillJobs.release(id);
      kick();
      return view(resumed);
    },

    async cancel(id: number): Promise<BackfillView> {
      const canceled = await transitionOrConflict(id, ['estimating', 'ready', 'running', 'paused'], { status: 'canceled', finishedAt: new Date() }, 'cancel');
      await backfillJobs.cancelQueued(id);
      await getService(strapi, 'batches').cancelForBackfill(id);
      return view(canceled);
    },

    /** Month-to-date and today's spend against every configured budget (settings page). */
    budgets: () => budgetUsage(config().budgets, spend),

    estimate,
  };
};

export type BackfillService = ReturnType<typeof createBackfillService>;
