/**
 * The worker loop each Strapi process runs: claim due jobs up to `concurrency`, keep their leases alive,
 * requeue jobs whose worker died, and stop cleanly (in-flight calls aborted, their jobs back to `queued`).
 */
import { randomBytes } from 'node:crypto';
import type { QueueConfig } from '../config/schema';
import { decideFailure } from './failure';
import { passGates, type JobGate } from './gates';
import type { JobStore } from './job-store';
import { leaseOwnerAlive, thisHost } from './lease-owner';
import { providerWaitOf, releaseForWait } from './provider-gate';
import type { Job } from './types';

/** What the worker needs from the job store. */
export type WorkerStore = Pick<JobStore, 'claimNext' | 'heartbeat' | 'findExpiredLeases' | 'findLeasesStartingWith' | 'updateHeld' | 'transition' | 'appendAttempt' | 'onDue'>;

/** Runs a claimed job; `leaseToken` identifies this claim for every write the execution makes. */
export type ExecuteJob = (job: Job, leaseToken: string, signal: AbortSignal) => Promise<unknown>;

/**
 * Takes over a claimed job that passed the gates instead of running it here (batch mode hands it to a
 * provider batch); true when taken. It must move the job off this claim itself.
 */
export type DivertJob = (job: Job, leaseToken: string) => Promise<boolean>;

interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

/** Abort reasons, so the catch block knows whether to release, ignore or record the failure. */
const SHUTDOWN = 'ai-assets:shutdown';
const LEASE_LOST = 'ai-assets:lease-lost';

interface InFlight {
  job: Job;
  leaseToken: string;
  controller: AbortController;
  done: Promise<void>;
}

export function createWorker(options: { store: WorkerStore; config: QueueConfig; execute: ExecuteJob; log: Logger; isLeaseLost?: (error: unknown) => boolean; events?: { emit(status: 'failed', jobId: number): void }; gates?: JobGate[]; divert?: DivertJob }) {
  const { store, config, execute, log } = options;
  const host = thisHost();
  // host:pid:boot: lets a restarted process on the same host tell its dead predecessors' leases from live ones.
  const owner = `${host}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let unsubscribe: (() => void) | null = null;
  let claims = 0;
  // Keyed by lease token, not job id: a retried job can be claimed again while a stale execution winds down.
  const inFlight = new Map<string, InFlight>();
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();
  let wake: (() => void) | null = null;
  let heartbeatTimer: NodeJS.Timeout | null = null;

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });
  }

  /** Requeues (or fails, when out of attempts) running jobs whose worker is gone; each move is a compare-and-set on the lease seen. */
  async function requeueLost(jobs: Job[], stillLost: (job: Job) => Record<string, unknown>): Promise<void> {
    const now = new Date();
    for (const job of jobs) {
      const exhausted = job.attempts >= job.maxAttempts;
      const attemptLog = store.appendAttempt(job, {
        attempt: job.attempts,
        startedAt: new Date(job.startedAt ?? now).toISOString(),
        finishedAt: now.toISOString(),
        outcome: 'lease_expired',
        errorCode: 'worker_lost',
        errorMessage: 'The worker running this job stopped before finishing.',
        retryable: !exhausted,
      });
      const moved = await store.transition(
        job.id,
        ['running'],
        exhausted
          ? { status: 'failed', finishedAt: now, errorCode: 'worker_lost', errorMessage: `The worker running this job stopped ${job.attempts} times. Gave up.`, errorRetryable: false, leaseOwner: null, leaseExpiresAt: null, attemptLog }
          : { status: 'queued', runAt: now, leaseOwner: null, leaseExpiresAt: null, attemptLog },
        stillLost(job)
      );
      if (moved && exhausted) options.events?.emit('failed', job.id);
      if (moved) log.warn(`ai-assets: job ${job.id} lost its worker; ${exhausted ? 'marked failed' : 'requeued'}`);
    }
  }

  async function recoverExpiredLeases(): Promise<void> {
    const now = new Date();
    await requeueLost(await store.findExpiredLeases(now), (job) => ({ leaseOwner: job.leaseOwner, leaseExpiresAt: { $lt: now } }));
  }

  /** At start: leases of this host's earlier processes that are no longer alive are released at once, not after the lease. */
  async function recoverDeadProcessesOfThisHost(): Promise<void> {
    const dead = (await store.findLeasesStartingWith(`${host}:`)).filter((job) => !leaseOwnerAlive(job.leaseOwner as string, host));
    await requeueLost(dead, (job) => ({ leaseOwner: job.leaseOwner }));
  }

  async function settle(job: Job, leaseToken: string, error: unknown, signal: AbortSignal): Promise<void> {
    if (signal.reason === LEASE_LOST || options.isLeaseLost?.(error)) return;
    const now = new Date();
    const startedAt = new Date(job.startedAt ?? now).toISOString();
    if (signal.reason === SHUTDOWN) {
      // Not the job's fault: give the attempt back and let the next process pick it up.
      await store.updateHeld(job.id, leaseToken, {
        status: 'queued',
        attempts: Math.max(0, job.attempts - 1),
        runAt: now,
        leaseOwner: null,
        leaseExpiresAt: null,
        attemptLog: store.appendAttempt(job, { attempt: job.attempts, startedAt, finishedAt: now.toISOString(), outcome: 'released' }),
      });
      return;
    }
    const wait = providerWaitOf(error);
    if (wait) {
      await releaseForWait(store, job, leaseToken, wait);
      return;
    }
    const decision = decideFailure(error, job.attempts, job.maxAttempts, { baseMs: config.backoffBaseMs, maxMs: config.maxBackoffMs }, now);
    const attemptLog = store.appendAttempt(job, {
      attempt: job.attempts,
      startedAt,
      finishedAt: now.toISOString(),
      outcome: decision.retryAt ? 'retry' : 'failed',
      errorCode: decision.code,
      errorMessage: decision.message,
      retryable: decision.retryable,
      nextRunAt: decision.retryAt?.toISOString(),
    });
    const common = { errorCode: decision.code, errorMessage: decision.message, errorRetryable: decision.retryable, leaseOwner: null, leaseExpiresAt: null, attemptLog };
    const recorded = await store.updateHeld(
      job.id,
      leaseToken,
      decision.retryAt ? { ...common, status: 'queued', runAt: decision.retryAt } : { ...common, status: 'failed', finishedAt: now }
    );
    if (recorded && !decision.retryAt) options.events?.emit('failed', job.id);
    log.warn(`ai-assets: job ${job.id} attempt ${job.attempts} failed (${decision.code}): ${decision.message}`);
  }

  function start(job: Job): void {
    const leaseToken = job.leaseOwner as string;
    const controller = new AbortController();
    const done = (async () => {
      try {
        await execute(job, leaseToken, controller.signal);
      } catch (error) {
        try {
          await settle(job, leaseToken, error, controller.signal);
        } catch (settleError) {
          log.error(`ai-assets: could not record the outcome of job ${job.id}: ${(settleError as Error).message}`);
        }
      } finally {
        inFlight.delete(leaseToken);
        wake?.();
      }
    })();
    inFlight.set(leaseToken, { job, leaseToken, controller, done });
  }

  async function tick(): Promise<void> {
    await recoverExpiredLeases();
    while (running && inFlight.size < config.concurrency) {
      claims += 1;
      const job = await store.claimNext(`${owner}:${claims}`, config.leaseMs);
      if (!job) break;
      const wait = options.gates?.length ? await passGates(store, job, options.gates) : null;
      if (wait) log.debug(`ai-assets: job ${job.id} waits: ${wait.reason}`);
      else if (!(await options.divert?.(job, job.leaseOwner as string))) start(job);
    }
  }

  async function heartbeat(): Promise<void> {
    const leases = [...inFlight.values()].map(({ job, leaseToken }) => ({ id: job.id, leaseOwner: leaseToken }));
    for (const token of await store.heartbeat(leases, config.leaseMs)) inFlight.get(token)?.controller.abort(LEASE_LOST);
  }

  return {
    owner,
    inFlightCount: () => inFlight.size,

    start(): void {
      if (running) return;
      running = true;
      unsubscribe = store.onDue(() => wake?.());
      heartbeatTimer = setInterval(() => {
        heartbeat().catch((error) => log.error(`ai-assets: heartbeat failed: ${(error as Error).message}`));
      }, Math.max(250, Math.floor(config.leaseMs / 3)));
      heartbeatTimer.unref();
      loopDone = (async () => {
        await recoverDeadProcessesOfThisHost().catch((error) => log.error(`ai-assets: recovering this host's leases failed: ${(error as Error).message}`));
        while (running) {
          try {
            await tick();
          } catch (error) {
            log.error(`ai-assets: worker tick failed: ${(error as Error).message}`);
          }
          if (running) await sleep(config.pollIntervalMs);
        }
      })();
    },

    /** Stops claiming, aborts in-flight calls and waits for their jobs to be released. */
    async stop(): Promise<void> {
      if (!running) return;
      running = false;
      unsubscribe?.();
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      wake?.();
      await loopDone;
      for (const { controller } of inFlight.values()) controller.abort(SHUTDOWN);
      await Promise.allSettled([...inFlight.values()].map((entry) => entry.done));
    },
  };
}

export type Worker = ReturnType<typeof createWorker>;
