/**
 * Drives batch mode on every instance: groups parked jobs into a provider batch (file upload + create),
 * polls open batches at the configured interval, and when one ends maps each answer line back to its job.
 * A succeeded line becomes the job's checkpoint and the job goes back to the queue, so the normal pipeline
 * (storage, provenance, renditions, attach) finishes it exactly like a synchronous answer. Every step holds
 * the batch record's lease and every job move is a compare-and-set (see ./store.ts).
 */
import type { BatchConfig } from '../config/schema';
import { isRetryable } from '../providers/errors';
import type { ProviderBatchApi, RemoteBatch } from '../providers/batch-types';
import type { ImageProvider } from '../providers/types';
import type { JobStore } from '../queue/job-store';
import type { Job } from '../queue/types';
import { canCancel, customIdOf, endedWithoutAnswer, isTerminal, isUnexecuted, jobIdOf, unfinishedFate, waitingInBatch } from './lines';
import type { BatchStore, PendingGroup } from './store';
import type { BatchRecord } from './types';

export interface BatchRunnerDeps {
  store: BatchStore;
  jobStore: Pick<JobStore, 'appendAttempt'>;
  findProvider(name: string): ImageProvider | undefined;
  config(): BatchConfig;
  /** Wakes the worker: answered jobs are due now. */
  onJobsQueued(): void;
  onJobFailed(jobId: number): void;
  owner: string;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void; debug(message: string): void };
}

/** The lease is renewed every this many lines while a long output file is read. */
const RENEW_EVERY_LINES = 20;
/** The batch's metadata key holding our record id: how a batch whose create answer was lost is found again. */
const METADATA_KEY = 'ai_assets_batch';
/** An ended batch whose results cannot be read is tried this many times (per instance) before its jobs fail. */
const MAX_READ_FAILURES = 5;
/** Writes that record a paid batch are tried this many times. */
const RECORD_RUNS = 5;

/** The create may or may not have reached the provider, and looking it up failed too: neither adopt nor requeue. */
class UnknownSubmission extends Error {}

/** Runs a database write again after any error (a paid batch must be recorded), with a short growing pause. */
async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let run = 1; ; run += 1) {
    try {
      return await work();
    } catch (error) {
      if (run >= RECORD_RUNS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * run));
    }
  }
}

export function createBatchRunner(deps: BatchRunnerDeps) {
  const { store, log, owner } = deps;

  function batchApiOf(providerName: string): ProviderBatchApi | null {
    return deps.findProvider(providerName)?.batch ?? null;
  }

  const request = (job: Job) => ({ prompt: job.prompt, params: job.params ?? {} });

  /** The job's attempt log with this attempt recorded as failed for good. */
  const withFailure = (job: Job, code: string, message: string, now: Date) =>
    deps.jobStore.appendAttempt(job, { attempt: job.attempts, startedAt: new Date(job.startedAt ?? now).toISOString(), finishedAt: now.toISOString(), outcome: 'failed', errorCode: code, errorMessage: message, retryable: false });

  /** Ends a job the batch holds as failed, with the attempt recorded. */
  async function failJob(batch: BatchRecord, job: Job, code: string, message: string): Promise<void> {
    const now = new Date();
    const attemptLog = withFailure(job, code, message, now);
    const moved = await store.moveHeld(batch.id, job.id, {
      status: 'failed', finishedAt: now, errorCode: code, errorMessage: message, errorRetryable: false, leaseOwner: null, leaseExpiresAt: null, waitReason: null, activeHash: null, attemptLog,
    });
    if (moved) deps.onJobFailed(job.id);
  }

  /** A job the batch did not answer: requeued for a later batch, canceled, or failed (see unfinishedFate). */
  async function settleUnanswered(batch: BatchRecord, job: Job, reason: { code: string; message: string }, retryAt = new Date()): Promise<void> {
    const fate = unfinishedFate({ cancelRequested: batch.cancelRequested, attempts: job.attempts, maxAttempts: job.maxAttempts, reason });
    if (fate.kind === 'fail') return failJob(batch, job, fate.code, fate.message);
    if (fate.kind === 'cancel') {
      await store.moveHeld(batch.id, job.id, { status: 'canceled', finishedAt: new Date(), leaseOwner: null, waitReason: null, activeHash: null });
      return;
    }
    const now = new Date();
    const attemptLog = deps.jobStore.appendAttempt(job, { attempt: job.attempts, startedAt: new Date(job.startedAt ?? now).toISOString(), finishedAt: now.toISOString(), outcome: 'retry', errorCode: reason.code, errorMessage: reason.message, retryable: true, nextRunAt: retryAt.toISOString() });
    const moved = await store.moveHeld(batch.id, job.id, { status: 'queued', runAt: retryAt, leaseOwner: null, batchId: null, waitReason: null, errorCode: reason.code, errorMessage: reason.message, attemptLog });
    if (moved) deps.onJobsQueued();
  }

  // ---- submitting -------------------------------------------------------------------------------------

  function ready(group: PendingGroup, config: BatchConfig, now: number): boolean {
    return group.jobs >= config.maxJobsPerBatch || now - group.oldestParkedAt.getTime() >= config.collectMs;
  }

  /**
   * The provider of parked jobs no longer offers a Batch API (its config changed). They fail with the reason
   * rather than run synchronously: that would cost twice what the site owner chose batch mode for.
   */
  async function failUnavailable(group: PendingGroup): Promise<void> {
    const message = `Provider "${group.provider}" no longer offers a Batch API, so this batch-mode job was not sent. Run it again (synchronously, or in batch mode once the provider offers it).`;
    const code = 'batch_unavailable';
    const failed = await store.failPending(group, code, message, (job, now) => withFailure(job, code, message, now));
    if (failed.length) log.warn(`ai-assets: ${failed.length} parked batch job(s) of "${group.provider}" failed: the provider no longer offers a Batch API`);
    for (const jobId of failed) deps.onJobFailed(jobId);
  }

  async function submitGroup(group: PendingGroup): Promise<void> {
    const config = deps.config();
    const api = batchApiOf(group.provider);
    if (!api) return;
    const batch = await store.create(group, owner, config.leaseMs);
    const jobs = await store.takeJobs(batch, config.maxJobsPerBatch);
    if (jobs.length === 0) {
      await store.remove(batch.id); // another instance took the group first
      return;
    }
    let remote: RemoteBatch;
    let jobCount = 0;
    // Only what happens before the provider accepted the batch may give its jobs back: after that they are paid for.
    try {
      const lines: string[] = [];
      for (const job of jobs) {
        try {
          lines.push(api.requestLine(customIdOf(job.id), request(job)));
        } catch (error) {
          // Params the provider cannot take would fail the whole file: only this job fails.
          await failJob(batch, job, 'invalid_request', (error as Error).message);
        }
      }
      if (lines.length === 0) {
        await store.updateLeased(batch.id, owner, { state: 'ended', endedAt: new Date(), leaseOwner: null, leaseExpiresAt: null });
        return;
      }
      jobCount = lines.length;
      const inputFileId = await api.upload(Buffer.from(`${lines.join('\n')}\n`), `ai-assets-batch-${batch.id}.jsonl`);
      if (!(await store.updateLeased(batch.id, owner, { inputFileId, jobCount }))) {
        log.warn(`ai-assets: batch record ${batch.id} was taken over before it was sent; its new holder settles it`);
        return;
      }
      // A backfill canceled while this record was being prepared must not start a billed batch.
      if ((await store.findById(batch.id))?.cancelRequested) return await cancelUnsent(batch);
      remote = await createOrAdopt(batch, api, inputFileId);
    } catch (error) {
      await abandon(batch, error);
      return;
    }
    await recordSubmitted(batch, remote, jobCount, group.provider);
  }

  /** Cancels the jobs of a record canceled before it was sent; nothing reached the provider's billing. */
  async function cancelUnsent(batch: BatchRecord): Promise<void> {
    const canceled = { ...batch, cancelRequested: true };
    for (const job of await store.heldJobs(batch.id, deps.config().maxJobsPerBatch)) await settleUnanswered(canceled, job, { code: 'batch_cancelled', message: 'Canceled before the batch was sent.' });
    await store.updateLeased(batch.id, owner, { state: 'abandoned', endedAt: new Date(), errorMessage: 'Canceled before it was sent.', leaseOwner: null, leaseExpiresAt: null });
    log.info(`ai-assets: batch record ${batch.id} was canceled before it was sent`);
  }

  /**
   * Sends the batch. A create that failed in a way that may have reached the provider (timeout, dropped
   * connection, 5xx) may still have started a billed batch: it is looked up by our record id and adopted.
   */
  async function createOrAdopt(batch: BatchRecord, api: ProviderBatchApi, inputFileId: string): Promise<RemoteBatch> {
    try {
      return await api.create(inputFileId, { [METADATA_KEY]: String(batch.id) });
    } catch (error) {
      if (!isRetryable(error)) throw error;
      const found = await api.findByMetadata(METADATA_KEY, String(batch.id)).catch((lookup: Error) => {
        // Not knowing is not "it was never taken": the record stays `preparing` for recoverPreparing to look again.
        throw new UnknownSubmission(`creating it failed (${(error as Error).message}) and looking it up failed (${lookup.message})`);
      });
      if (!found) throw error;
      log.warn(`ai-assets: batch record ${batch.id}: creating it answered "${(error as Error).message}" but OpenAI has it as ${found.id}; adopted`);
      return found;
    }
  }

  /**
   * Records that the provider has the batch. It is paid for now, so it is never given up: the write is tried
   * again, and when it cannot be made the record stays `preparing` and recoverPreparing adopts it by its metadata.
   */
  async function recordSubmitted(batch: BatchRecord, remote: RemoteBatch, jobCount: number, provider: string): Promise<void> {
    const submittedAt = new Date();
    const data: Partial<BatchRecord> = {
      state: 'submitted', remoteId: remote.id, remoteStatus: remote.status, requestCounts: remote.requestCounts, submittedAt,
      nextPollAt: new Date(submittedAt.getTime() + deps.config().pollIntervalMs), leaseOwner: null, leaseExpiresAt: null,
    };
    let recorded = false;
    try {
      recorded = await retrying(() => store.updateLeased(batch.id, owner, data));
    } catch (error) {
      log.error(`ai-assets: OpenAI batch ${remote.id} (record ${batch.id}) was sent but recording it failed: ${(error as Error).message}; it will be adopted once the record's lease expires`);
      return;
    }
    if (!recorded) {
      log.error(`ai-assets: OpenAI batch ${remote.id} (record ${batch.id}) was sent but the record's lease was lost; its new holder adopts it by its metadata`);
      return;
    }
    await retrying(() => store.setWaitReason(batch.id, waitingInBatch(remote.id, submittedAt))).catch((error: Error) => log.warn(`ai-assets: batch ${remote.id}: showing where its jobs wait failed: ${error.message}`));
    log.info(`ai-assets: ${jobCount} job(s) sent in batch ${remote.id} (${provider})`);
  }

  /** The provider did not take the batch: each job is sent again later (or fails when the error will not pass). */
  async function abandon(batch: BatchRecord, error: unknown): Promise<void> {
    if (error instanceof UnknownSubmission) {
      log.warn(`ai-assets: batch record ${batch.id}: ${error.message}; looking again later`);
      await store.updateLeased(batch.id, owner, { leaseOwner: null, leaseExpiresAt: new Date() });
      return;
    }
    const message = `Sending the OpenAI batch failed: ${(error as Error).message}`;
    log.warn(`ai-assets: batch record ${batch.id}: ${message}`);
    await store.updateLeased(batch.id, owner, { state: 'abandoned', endedAt: new Date(), errorMessage: message });
    const retryAt = new Date(Date.now() + deps.config().pollIntervalMs);
    for (const job of await store.heldJobs(batch.id, deps.config().maxJobsPerBatch)) {
      if (isRetryable(error)) await settleUnanswered(batch, job, { code: 'batch_submit_failed', message }, retryAt);
      else await failJob(batch, job, 'batch_submit_failed', message);
    }
    await store.updateLeased(batch.id, owner, { leaseOwner: null, leaseExpiresAt: null });
  }

  /**
   * A process died while submitting. Once its input file was uploaded the create may have reached the provider:
   * the provider's batches are searched for it first and a match is adopted; only without one do its jobs go back.
   */
  async function recoverPreparing(now: Date): Promise<void> {
    for (const stale of await store.findStalePreparing(now)) {
      if (!(await store.claim(stale.id, 'preparing', owner, deps.config().leaseMs))) continue;
      const api = batchApiOf(stale.provider);
      if (stale.inputFileId && api) {
        let found: RemoteBatch | null;
        try {
          found = await api.findByMetadata(METADATA_KEY, String(stale.id));
        } catch (error) {
          log.warn(`ai-assets: batch record ${stale.id} was left half-sent and looking it up failed (will retry): ${(error as Error).message}`);
          await store.updateLeased(stale.id, owner, { leaseOwner: null, leaseExpiresAt: new Date() });
          continue;
        }
        if (found) {
          log.warn(`ai-assets: batch record ${stale.id} was left half-sent; OpenAI has it as ${found.id}, adopted`);
          await recordSubmitted(stale, found, stale.jobCount, stale.provider);
          continue;
        }
      }
      const returned = await store.returnToPending(stale.id);
      await store.updateLeased(stale.id, owner, { state: 'abandoned', endedAt: new Date(), errorMessage: 'The instance sending this batch stopped before the provider took it; its jobs went back to the pending pool.', leaseOwner: null, leaseExpiresAt: null });
      log.warn(`ai-assets: batch record ${stale.id} was left half-sent; ${returned} job(s) will go in another batch`);
    }
  }

  // ---- polling and results ----------------------------------------------------------------------------

  /** Maps every line of one output or error file to its job; returns how many lines were ours. */
  async function applyFile(batch: BatchRecord, api: ProviderBatchApi, fileId: string): Promise<void> {
    let seen = 0;
    for await (const line of api.readLines(fileId)) {
      seen += 1;
      if (seen % RENEW_EVERY_LINES === 0) await store.updateLeased(batch.id, owner, { leaseExpiresAt: new Date(Date.now() + deps.config().leaseMs) });
      const probe = /"custom_id"\s*:\s*"([^"]+)"/.exec(line.slice(0, 4096));
      const jobId = probe ? jobIdOf(probe[1]) : null;
      const job = jobId === null ? null : await store.heldJob(batch.id, jobId);
      if (!job) continue; // not ours, canceled by an editor, or mapped by an earlier reading of this file
      const outcome = await api.parseLine(line, request(job));
      if (!outcome.ok) {
        if (isUnexecuted(outcome.code)) await settleUnanswered(batch, job, { code: outcome.code, message: outcome.message });
        else await failJob(batch, job, outcome.code, outcome.message);
        continue;
      }
      const image = outcome.result.images[0];
      const now = new Date();
      // Checkpointed like a synchronous answer: the worker takes it from here without paying again.
      const moved = await store.moveHeld(batch.id, job.id, {
        status: 'queued', runAt: now, attempts: Math.max(0, job.attempts - 1), leaseOwner: null, leaseExpiresAt: null, waitReason: null,
        checkpointData: image.data.toString('base64'), checkpointMime: image.mime ?? null, model: outcome.result.model ?? job.model,
        revisedPrompt: image.revisedPrompt ?? null, providerRequestId: outcome.result.requestId ?? null,
        usage: (outcome.result.usage as Record<string, unknown>) ?? null, costUsd: outcome.result.costUsd ?? null,
      });
      if (moved) deps.onJobsQueued();
    }
  }

  async function finish(batch: BatchRecord, api: ProviderBatchApi, remote: RemoteBatch): Promise<void> {
    for (const fileId of [remote.outputFileId, remote.errorFileId]) if (fileId) await applyFile(batch, api, fileId);
    const reason = endedWithoutAnswer(remote.status, remote.id, remote.problem);
    const limit = deps.config().maxJobsPerBatch;
    for (let left = await store.heldJobs(batch.id, limit); left.length > 0; left = await store.heldJobs(batch.id, limit)) {
      for (const job of left) await settleUnanswered(batch, job, reason);
    }
    await store.updateLeased(batch.id, owner, { state: 'ended', remoteStatus: remote.status, endedAt: new Date(), errorMessage: remote.problem, leaseOwner: null, leaseExpiresAt: null });
    log.info(`ai-assets: batch ${remote.id} ended ${remote.status} (${remote.requestCounts?.completed ?? 0} completed, ${remote.requestCounts?.failed ?? 0} failed)`);
  }

  /** Fails every job the batch still holds, without sending any again (they may be paid for), and ends the record. */
  async function endHeld(batch: BatchRecord, remoteStatus: RemoteBatch['status'] | null, code: string, message: string): Promise<void> {
    const limit = deps.config().maxJobsPerBatch;
    for (let left = await store.heldJobs(batch.id, limit); left.length > 0; left = await store.heldJobs(batch.id, limit)) {
      for (const job of left) await failJob(batch, job, code, message);
    }
    await store.updateLeased(batch.id, owner, { state: 'ended', remoteStatus: remoteStatus ?? batch.remoteStatus, endedAt: new Date(), errorMessage: message, leaseOwner: null, leaseExpiresAt: null });
    log.error(`ai-assets: batch ${batch.remoteId} (record ${batch.id}): ${message}`);
  }

  /** Failed readings of an ended batch's results, per record, on this instance: bounds the retries. */
  const readFailures = new Map<number, number>();

  async function pollLater(batch: BatchRecord): Promise<void> {
    await store.updateLeased(batch.id, owner, { nextPollAt: new Date(Date.now() + deps.config().pollIntervalMs), leaseOwner: null, leaseExpiresAt: null });
  }

  async function poll(due: BatchRecord): Promise<void> {
    const config = deps.config();
    if (!(await store.claim(due.id, 'submitted', owner, config.leaseMs))) return;
    const batch = (await store.findById(due.id)) as BatchRecord;
    const api = batchApiOf(batch.provider);
    if (!api) {
      // Nothing can read this batch any more: its jobs end here, and are not sent again (they may be paid for).
      return await endHeld(batch, null, 'batch_unavailable', `Provider "${batch.provider}" no longer offers a Batch API, so OpenAI batch ${batch.remoteId} can no longer be read; the image was not sent again because OpenAI may have charged for it.`);
    }
    let remote: RemoteBatch;
    try {
      remote = await api.retrieve(batch.remoteId as string);
      if (batch.cancelRequested && canCancel(remote.status)) remote = await api.cancel(remote.id);
      await store.updateLeased(batch.id, owner, { remoteStatus: remote.status, requestCounts: remote.requestCounts, outputFileId: remote.outputFileId, errorFileId: remote.errorFileId });
    } catch (error) {
      if (!isRetryable(error)) {
        // The provider refuses to tell (batch unknown, key revoked): end it so its jobs are not held forever.
        const problem = `polling it failed: ${(error as Error).message}`;
        log.warn(`ai-assets: batch ${batch.remoteId}: ${problem}`);
        return await finish(batch, api, { id: batch.remoteId as string, status: 'failed', outputFileId: null, errorFileId: null, requestCounts: batch.requestCounts, problem });
      }
      // Polling again later is always safe: nothing was applied twice (job moves are compare-and-set).
      log.warn(`ai-assets: polling batch ${batch.remoteId} failed (will retry): ${(error as Error).message}`);
      return await pollLater(batch);
    }
    if (!isTerminal(remote.status)) return await pollLater(batch);
    try {
      await finish(batch, api, remote);
      readFailures.delete(batch.id);
    } catch (error) {
      // The batch ended and its answered lines are paid for: they are read again, never sent again.
      const failures = (readFailures.get(batch.id) ?? 0) + 1;
      readFailures.set(batch.id, failures);
      if (isRetryable(error) && failures < MAX_READ_FAILURES) {
        log.warn(`ai-assets: reading the results of batch ${remote.id} failed (will retry): ${(error as Error).message}`);
        return await pollLater(batch);
      }
      readFailures.delete(batch.id);
      await endHeld(batch, remote.status, 'batch_results_unreadable', `OpenAI batch ${remote.id} ended ${remote.status} but its results could not be read (${(error as Error).message}); the image was not sent again because OpenAI may have charged for it.`);
    }
  }

  return {
    /** One round: recover half-sent records, send the groups that are ready, poll the batches that are due. */
    async tick(): Promise<void> {
      const now = new Date();
      await recoverPreparing(now);
      const config = deps.config();
      for (const group of await store.pendingGroups()) {
        if (!batchApiOf(group.provider)) await failUnavailable(group);
        else if (ready(group, config, now.getTime())) await submitGroup(group);
      }
      for (const due of await store.findDue(now, 20)) await poll(due);
    },
  };
}

export type BatchRunner = ReturnType<typeof createBatchRunner>;
