/**
 * Everything done to jobs from outside the worker: enqueue with dedupe, manual runs and dry runs,
 * and the editor actions (approve, reject, cancel, retry, regenerate, edit). State changes are
 * compare-and-set, so an action racing the worker either wins cleanly or answers 409.
 */
import type { Core } from '@strapi/strapi';
import { candidateChoiceProblem, pickIndex, withCandidates } from '../media/candidates';
import { attachmentsOf } from '../media/rendition-plan';
import { findRule } from '../rules/match';
import { sha256 } from '../queue/hash';
import type { JobStatus } from '../queue/statuses';
import type { Job, JobTrigger, NewJob } from '../queue/types';
import type { InsertResult, JobStore, ListFilters } from '../queue/job-store';
import { getService } from '../utils/get-service';
import type { PlanRequest, SkipCode } from './planner';
import { PlanError } from '../errors/domain';
import { JobStateError } from '../queue/errors';
import { toCandidateViews, toJobView, type JobView } from './job-view';
import { schemaOf } from '../rules/content-schema';
import { createJobCostEstimator } from '../providers/estimate';


export type EnqueueResult = InsertResult;

export const createJobService = ({ strapi, store }: { strapi: Core.Strapi; store: JobStore }) => {
  const config = () => getService(strapi, 'config').get();

  async function mustFind(id: number): Promise<Job> {
    const job = await store.findById(id);
    if (!job) throw new PlanError(`Job ${id} does not exist.`, 'not_found');
    return job;
  }

  function mustRule(ruleId: string) {
    const rule = findRule(config(), ruleId);
    if (!rule) throw new PlanError(`Rule "${ruleId}" is not configured.`, 'not_found');
    return rule;
  }

  async function view(job: Job): Promise<JobView> {
    const file = job.resultFileId ? await getService(strapi, 'library').findFile(job.resultFileId) : null;
    return toJobView(job, file);
  }

  /** Inserts the job unless another with the same inputs is active (the database decides, see job-store). */
  function enqueue(job: NewJob, force = false): Promise<EnqueueResult> {
    return store.insert(job, { force });
  }

  async function planAndEnqueue(request: PlanRequest, force = false): Promise<EnqueueResult | { skipped: string; code: SkipCode }> {
    const plan = await getService(strapi, 'planner').plan(request);
    if (plan.kind === 'skip') return { skipped: plan.reason, code: plan.code };
    return enqueue(plan.job, force);
  }

  /** A child job of `parent`, reusing its rule, document and locale. */
  async function enqueueChild(parent: Job, trigger: JobTrigger, overrides: Partial<PlanRequest>, userId?: number) {
    const result = await planAndEnqueue(
      {
        rule: mustRule(parent.rule),
        documentId: parent.targetDocumentId,
        locale: parent.targetLocale,
        trigger,
        parentJobId: parent.id,
        createdByUserId: userId ?? null,
        ignoreOnlyIfEmpty: true,
        ...overrides,
      },
      true
    );
    if ('skipped' in result) throw new PlanError(`Nothing to do: ${result.skipped}.`);
    return { jobId: result.job.id, status: result.job.status };
  }

  /** Runs a compare-and-set move allowed only from `from`; a refused move answers with the job's current status. */
  async function moveOrConflict(job: Job, from: JobStatus[], action: string, move: () => Promise<boolean>): Promise<Job> {
    if (!from.includes(job.status) || !(await move())) {
      const current = (await store.findById(job.id)) ?? job;
      throw new JobStateError(`Cannot ${action} job ${job.id}: it is ${current.status.replace('_', ' ')}.`);
    }
    return (await store.findById(job.id)) as Job;
  }

  function transitionOrConflict(job: Job, from: JobStatus[], data: Partial<Job>, action: string): Promise<Job> {
    return moveOrConflict(job, from, action, () => store.transition(job.id, from, data));
  }

  return {
    enqueue,
    planAndEnqueue,
    view,

    /** Manual run of a rule for one document; a dry run renders the prompt and enqueues nothing. */
    async runRule(ruleId: string, input: { documentId: string; locale?: string | null; dryRun?: boolean; force?: boolean; userId?: number }) {
      const rule = mustRule(ruleId);
      const request: PlanRequest = { rule, documentId: input.documentId, locale: input.locale ?? null, trigger: 'manual', ignoreOnlyIfEmpty: true, createdByUserId: input.userId ?? null };
      const plan = await getService(strapi, 'planner').plan(request);
      if (plan.kind === 'skip') {
        if (input.dryRun) return { dryRun: true, skipped: plan.reason, estimatedUsd: 0 };
        throw new PlanError(`Nothing to do: ${plan.reason}.`);
      }
      if (input.dryRun) {
        const duplicate = await store.findActive(plan.job.inputHash);
        const { prompt, altText, caption, provider, params, inputHash, operation, targetField } = plan.job;
        // A duplicate would not be queued, so it costs nothing; null: the provider has no price for these params.
        const estimatedUsd = duplicate ? 0 : (createJobCostEstimator(getService(strapi, 'providers'))(plan.job) ?? null);
        return { dryRun: true, prompt, altText, caption, provider, params, inputHash, operation, target: targetField, duplicateOf: duplicate?.id ?? null, estimatedUsd };
      }
      const result = await enqueue(plan.job, Boolean(input.force));
      return { jobId: result.job.id, status: result.job.status, deduplicated: result.deduplicated };
    },

    async list(filters: ListFilters, page: number, pageSize: number) {
      const { results, pagination } = await store.list(filters, page, pageSize);
      return { results: await Promise.all(results.map(view)), pagination };
    },

    async detail(id: number) {
      const job = await mustFind(id);
      const library = getService(strapi, 'library');
      const [parent, children, sourceFile, candidateFiles] = await Promise.all([
        job.parentJobId ? store.findById(job.parentJobId) : null,
        store.children(job.id),
        job.sourceFileId ? library.findFile(job.sourceFileId) : null,
        Promise.all((job.result?.candidates ?? []).map((candidate) => (candidate.removedAt ? null : library.findFile(candidate.fileId)))),
      ]);
      const attributes = schemaOf(strapi, job.contentType)?.attributes ?? {};
      return {
        ...(await view(job)),
        parent: parent ? await view(parent) : null,
        children: await Promise.all(children.map(view)),
        sourceFile: sourceFile ? { id: sourceFile.id, url: sourceFile.url, width: sourceFile.width, height: sourceFile.height } : null,
        candidates: toCandidateViews(job.result, candidateFiles),
        entryMediaFields: Object.entries(attributes).filter(([, attribute]) => attribute.type === 'media').map(([name]) => name),
      };
    },

    /** The running job's latest partial frame (small WebP), or null when it has none (not running, not streamed). */
    async preview(id: number) {
      const job = await mustFind(id);
      const live = job.status === 'running' && job.previewData;
      return {
        jobId: job.id,
        status: job.status,
        startedAt: job.startedAt ? new Date(job.startedAt).toISOString() : null,
        frame: live
          ? { index: job.previewIndex ?? 0, at: job.previewAt ? new Date(job.previewAt).toISOString() : null, image: `data:image/webp;base64,${job.previewData}` }
          : null,
      };
    },

    /**
     * Attaches the job's image (or candidate `candidate`, default the pick) to the rule's target, its named
     * renditions to theirs; an explicitly chosen other field gets the image alone.
     */
    async approve(id: number, input: { field?: string; candidate?: number; userId?: number }) {
      const job = await mustFind(id);
      const explicitField = input.field && input.field !== job.targetField ? input.field : undefined;
      const field = explicitField ?? job.targetField;
      getService(strapi, 'attacher').mediaAttribute(job.contentType, field);
      if (job.status !== 'awaiting_review' || !job.resultFileId) {
        throw new JobStateError(`Cannot approve job ${id}: it is ${job.status.replace('_', ' ')}.`);
      }
      const candidate = input.candidate ?? pickIndex(job.result);
      const problem = candidateChoiceProblem(job, candidate);
      if (problem) throw new PlanError(problem);
      // Claim the approval first so two editors approving at once attach only once.
      const claimed = await transitionOrConflict(job, ['awaiting_review'], { status: 'approved', reviewedByUserId: input.userId ?? null }, 'approve');
      const release = () => store.update(id, { status: 'awaiting_review', reviewedByUserId: null });
      // The candidate may have been removed between our read and the claim: the claimed row decides.
      const removedMeanwhile = candidateChoiceProblem(claimed, candidate);
      if (removedMeanwhile) {
        await release();
        throw new JobStateError(removedMeanwhile);
      }
      const chosen = claimed.result?.candidates ? withCandidates(claimed.result.candidates, claimed.result.candidates.findIndex((entry) => entry.index === candidate)) : claimed.result;
      const chosenFileId = chosen?.fileId ?? (claimed.resultFileId as number);
      try {
        const attachments = explicitField ? [{ field, fileId: chosenFileId }] : attachmentsOf({ fileId: chosenFileId, renditions: chosen?.renditions }, field);
        for (const attachment of attachments) {
          await getService(strapi, 'attacher').attach(
            { contentType: job.contentType, documentId: job.targetDocumentId, locale: job.targetLocale, field: attachment.field },
            attachment.fileId,
            { publishToLive: config().publishAfterAttach }
          );
        }
      } catch (error) {
        await release();
        throw error;
      }
      const approved = await store.update(claimed.id, { attachedField: field, attachedAt: new Date(), resultFileId: chosenFileId, result: chosen });
      getService(strapi, 'jobEvents').emit('approved', approved.id);
      return view(approved);
    },

    async reject(id: number, input: { reason?: string; userId?: number }) {
      const job = await mustFind(id);
      const updated = await transitionOrConflict(
        job,
        ['awaiting_review'],
        { status: 'rejected', reviewedByUserId: input.userId ?? null, finishedAt: job.finishedAt ?? new Date(), errorMessage: input.reason ? `Rejected: ${input.reason}` : job.errorMessage },
        'reject'
      );
      return view(updated);
    },

    async cancel(id: number) {
      const job = await mustFind(id);
      // The worker notices on its next heartbeat and aborts the provider call.
      return view(await transitionOrConflict(job, ['queued', 'running'], { status: 'canceled', finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null }, 'cancel'));
    },

    async retry(id: number) {
      const job = await mustFind(id);
      const from: JobStatus[] = ['failed', 'canceled'];
      const reset = { attempts: 0, runAt: new Date(), finishedAt: null, errorCode: null, errorMessage: null, errorRetryable: null };
      return view(await moveOrConflict(job, from, 'retry', () => store.requeue(job, from, reset)));
    },

    async regenerate(id: number, input: { prompt?: string; params?: Record<string, unknown>; userId?: number }) {
      const parent = await mustFind(id);
      const rule = mustRule(parent.rule);
      // A prompt override is a template too, so "{{title}} at night" works.
      return enqueueChild(parent, 'regenerate', { promptOverride: input.prompt, paramsOverride: { ...(parent.params ?? {}), ...input.params }, sourceFileIdOverride: rule.operation === 'edit' ? parent.sourceFileId : null }, input.userId);
    },

    async edit(id: number, input: { prompt: string; source: 'result' | 'entry'; mask?: Buffer; userId?: number }) {
      const parent = await mustFind(id);
      let sourceFileId: number | null = parent.resultFileId;
      if (input.source === 'entry') {
        const entryFile = (await strapi.documents(parent.contentType as never).findOne({
          documentId: parent.targetDocumentId,
          ...(parent.targetLocale ? { locale: parent.targetLocale } : {}),
          populate: [parent.targetField],
        } as never)) as Record<string, unknown> | null;
        const value = entryFile?.[parent.targetField];
        sourceFileId = ((Array.isArray(value) ? value[0] : value) as { id?: number } | null)?.id ?? null;
      }
      if (!sourceFileId) throw new PlanError(input.source === 'entry' ? `The entry has no image in "${parent.targetField}" to edit.` : `Job ${id} has no result to edit.`);
      return enqueueChild(
        parent,
        'edit',
        { promptOverride: input.prompt, sourceFileIdOverride: sourceFileId, maskData: input.mask?.toString('base64') ?? null, maskHash: input.mask ? sha256(input.mask) : null },
        input.userId
      );
    },

    async stats() {
      const counts = await store.countByStatus();
      const since = new Date(Date.now() - 24 * 3600 * 1000);
      const lastTenMinutes = new Date(Date.now() - 10 * 60 * 1000);
      const [failuresLast24h, finishedLastTenMinutes] = await Promise.all([
        store.count({ status: 'failed', finishedAt: { $gte: since } }),
        store.count({ finishedAt: { $gte: lastTenMinutes }, status: { $in: ['succeeded', 'awaiting_review', 'approved', 'rejected'] } }),
      ]);
      return { counts, failuresLast24h, jobsPerMinute: Math.round((finishedLastTenMinutes / 10) * 10) / 10, inFlight: getService(strapi, 'queue').inFlightCount() };
    },
  };
};

export type JobService = ReturnType<typeof createJobService>;
