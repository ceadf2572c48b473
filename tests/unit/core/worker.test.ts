import type { QueueConfig } from '../../../server/src/config/schema';
import { AbortedError, AuthenticationError, ServerError } from '../../../server/src/providers/errors';
import type { Job } from '../../../server/src/queue/types';
import { createWorker, type ExecuteJob, type Worker } from '../../../server/src/queue/worker';
import { FakeJobStore, makeJob } from '../../fixtures/fake-job-store';
import { deferred, waitFor } from '../../fixtures/wait';

const baseConfig: QueueConfig = { concurrency: 2, maxAttempts: 5, leaseMs: 1000, pollIntervalMs: 10, backoffBaseMs: 60_000, maxBackoffMs: 60_000, worker: true };
const log = () => ({ info: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn() });

/** An execute that waits until its call is aborted, then rejects like a provider does. */
const hangUntilAborted = (seen: Array<{ job: Job; signal: AbortSignal }>): ExecuteJob => (job, _owner, signal) =>
  new Promise((_resolve, reject) => {
    seen.push({ job, signal });
    signal.addEventListener('abort', () => reject(new AbortedError('The request was canceled before it finished.')), { once: true });
  });

describe('queue/worker', () => {
  let worker: Worker | undefined;
  function startWorker(store: FakeJobStore, execute: ExecuteJob, config: Partial<QueueConfig> = {}, isLeaseLost?: (error: unknown) => boolean) {
    worker = createWorker({ store: store.asStore(), config: { ...baseConfig, ...config }, execute, log: log(), isLeaseLost });
    worker.start();
    return worker;
  }
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  describe('start', () => {
    it('never runs more than `concurrency` jobs at once and runs every job', async () => {
      const store = new FakeJobStore([1, 2, 3, 4, 5].map((id) => makeJob(id)));
      const gates = new Map<number, ReturnType<typeof deferred>>();
      let active = 0;
      let maxActive = 0;
      const ticks = jest.spyOn(store, 'findExpiredLeases');
      startWorker(store, async (job, leaseToken) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        const gate = deferred();
        gates.set(job.id, gate);
        await gate.promise;
        await store.updateHeld(job.id, leaseToken, { status: 'succeeded', leaseOwner: null });
        active -= 1;
      });

      await waitFor(() => active === 2, { what: 'two running jobs' });
      const ticksWhenFull = ticks.mock.calls.length;
      await waitFor(() => ticks.mock.calls.length >= ticksWhenFull + 3, { what: 'three more polls' });
      expect(active).toBe(2);
      expect(worker!.inFlightCount()).toBe(2);

      await waitFor(() => {
        gates.forEach((gate) => gate.resolve());
        return [...store.jobs.values()].every((job) => job.status === 'succeeded');
      }, { what: 'every job to succeed' });
      expect(maxActive).toBe(2);
      expect(gates.size).toBe(5);
      expect([...store.jobs.values()].map((job) => job.attempts)).toEqual([1, 1, 1, 1, 1]);
    });

    it('reschedules a retryable failure as queued in the future with an attempt log entry', async () => {
      const store = new FakeJobStore([makeJob(1)]);
      const before = Date.now();
      startWorker(store, async () => {
        throw new ServerError('The provider failed.');
      });
      const job = await waitFor(() => store.job(1).attemptLog?.length === 1 && store.job(1), { what: 'the failed attempt' });
      expect(job).toMatchObject({ status: 'queued', attempts: 1, errorCode: 'server_error', errorMessage: expect.stringMatching(/^The provider failed\. Will retry at \S+ \(attempt 2 of \d+\)\.$/), errorRetryable: true, leaseOwner: null, leaseExpiresAt: null });
      expect(new Date(job.runAt!).getTime()).toBeGreaterThanOrEqual(before + 30_000);
      expect(job.attemptLog![0]).toMatchObject({ attempt: 1, outcome: 'retry', errorCode: 'server_error', retryable: true, nextRunAt: new Date(job.runAt!).toISOString() });
    });

    it.each([
      ['a non-retryable error', new AuthenticationError('The API key was rejected.'), 1, 'auth', 'The API key was rejected. This will not be retried.'],
      ['a retryable error on the last attempt', new ServerError('The provider failed.'), 5, 'server_error', 'The provider failed. Gave up after 5 attempts.'],
    ])('marks the job failed for %s', async (_label, error, attempt, code, message) => {
      const store = new FakeJobStore([makeJob(1, { attempts: attempt - 1 })]);
      startWorker(store, async () => {
        throw error;
      });
      const job = await waitFor(() => store.job(1).status === 'failed' && store.job(1), { what: 'the job to fail' });
      expect(job).toMatchObject({ attempts: attempt, errorCode: code, errorMessage: message, leaseOwner: null });
      expect(job.finishedAt).toBeInstanceOf(Date);
      expect(job.attemptLog).toEqual([expect.objectContaining({ attempt, outcome: 'failed', errorCode: code, errorMessage: message })]);
    });

    it('requeues a job whose worker died and gives up on one that ran out of attempts', async () => {
      const past = new Date(Date.now() - 60_000);
      const future = new Date(Date.now() + 60_000);
      const store = new FakeJobStore([
        makeJob(1, { status: 'running', attempts: 1, maxAttempts: 3, leaseOwner: 'dead-worker', leaseExpiresAt: past, startedAt: past }),
        makeJob(2, { status: 'running', attempts: 3, maxAttempts: 3, leaseOwner: 'dead-worker', leaseExpiresAt: past, startedAt: past }),
        makeJob(3, { status: 'running', attempts: 1, leaseOwner: 'live-worker', leaseExpiresAt: future, startedAt: past }),
      ]);
      const seen: Array<{ job: Job; signal: AbortSignal }> = [];
      startWorker(store, hangUntilAborted(seen));

      await waitFor(() => seen.length === 1 && store.job(2).status === 'failed', { what: 'recovery' });
      expect(store.writes.filter((write) => write.id === 1).map((write) => [write.method, write.data.status])).toEqual([
        ['transition', 'queued'],
        ['claimNext', 'running'],
      ]);
      expect(seen[0].job).toMatchObject({ id: 1, attempts: 2 });
      expect(seen[0].job.attemptLog).toEqual([
        expect.objectContaining({ attempt: 1, outcome: 'lease_expired', errorCode: 'worker_lost', retryable: true, startedAt: past.toISOString() }),
      ]);
      expect(store.job(2)).toMatchObject({
        status: 'failed',
        errorCode: 'worker_lost',
        errorMessage: 'The worker running this job stopped 3 times. Gave up.',
        errorRetryable: false,
        leaseOwner: null,
      });
      expect(store.job(2).attemptLog).toEqual([expect.objectContaining({ outcome: 'lease_expired', retryable: false })]);
      expect(store.job(3)).toMatchObject({ status: 'running', leaseOwner: 'live-worker', attemptLog: [] });
      expect(store.writes.some((write) => write.id === 3)).toBe(false);
    });

    it('passes each claim its own lease token, the one written on the job', async () => {
      const store = new FakeJobStore([makeJob(1), makeJob(2)]);
      const tokens: Array<[string, string | null]> = [];
      startWorker(store, async (job, leaseToken) => {
        tokens.push([leaseToken, job.leaseOwner]);
        await store.updateHeld(job.id, leaseToken, { status: 'succeeded', leaseOwner: null });
      });
      await waitFor(() => tokens.length === 2, { what: 'both jobs to run' });
      expect(tokens.map(([token, owner]) => token === owner)).toEqual([true, true]);
      expect(tokens[0][0]).not.toBe(tokens[1][0]);
      expect(tokens.every(([token]) => token.startsWith(`${worker!.owner}:`))).toBe(true);
    });

    it('keeps the lease of a running job alive with heartbeats', async () => {
      const store = new FakeJobStore([makeJob(1)]);
      const seen: Array<{ job: Job; signal: AbortSignal }> = [];
      startWorker(store, hangUntilAborted(seen));
      await waitFor(() => seen.length === 1, { what: 'the job to start' });
      const firstLease = new Date(seen[0].job.leaseExpiresAt!).getTime();
      await waitFor(() => new Date(store.job(1).leaseExpiresAt!).getTime() > firstLease, { what: 'a heartbeat', timeoutMs: 3000 });
      expect(store.job(1).status).toBe('running');
    });

    it('aborts the execute and records nothing when the lease is lost on heartbeat', async () => {
      const store = new FakeJobStore([makeJob(1)]);
      const seen: Array<{ job: Job; signal: AbortSignal }> = [];
      startWorker(store, hangUntilAborted(seen));
      await waitFor(() => seen.length === 1, { what: 'the job to start' });

      const stolen = { ...store.job(1), leaseOwner: 'other-worker', leaseExpiresAt: new Date(Date.now() + 60_000) };
      store.jobs.set(1, stolen);
      const writesBefore = store.writes.length;

      await waitFor(() => seen[0].signal.aborted, { what: 'the abort', timeoutMs: 3000 });
      await waitFor(() => worker!.inFlightCount() === 0, { what: 'the job to leave the worker' });
      expect(seen[0].signal.reason).toBe('ai-assets:lease-lost');
      expect(store.job(1)).toEqual(stolen);
      expect(store.writes.length).toBe(writesBefore);
    });

    it('records nothing when isLeaseLost recognises the error', async () => {
      const store = new FakeJobStore([makeJob(1)]);
      class LeaseLost extends Error {}
      let calls = 0;
      startWorker(
        store,
        async () => {
          calls += 1;
          throw new LeaseLost('someone else holds this job');
        },
        {},
        (error) => error instanceof LeaseLost
      );
      await waitFor(() => calls === 1 && worker!.inFlightCount() === 0, { what: 'the execute to finish' });
      expect(store.writes.map((write) => write.method)).toEqual(['claimNext']);
    });
  });

  describe('gates', () => {
    it('puts a job a gate holds back to queued with the attempt given back, the reason and the retry time, and runs the others', async () => {
      const store = new FakeJobStore([makeJob(1, { provider: 'openai' }), makeJob(2, { provider: 'local' })]);
      const retryAt = new Date(Date.now() + 3_600_000);
      const execute = jest.fn(async (job: Job, leaseToken: string) => {
        await store.updateHeld(job.id, leaseToken, { status: 'succeeded', leaseOwner: null });
      });
      worker = createWorker({
        store: store.asStore(),
        config: baseConfig,
        execute,
        log: log(),
        gates: [async (job) => (job.provider === 'openai' ? { reason: 'monthly budget of $50 for openai reached; resumes on Dec 1', retryAt } : null)],
      });
      worker.start();
      await waitFor(() => store.jobs.get(2)?.status === 'succeeded' && store.jobs.get(1)?.waitReason !== undefined && store.jobs.get(1)?.status === 'queued' && store.jobs.get(1)?.leaseOwner === null, { what: 'job 2 done, job 1 held' });
      expect(store.jobs.get(1)).toMatchObject({ status: 'queued', attempts: 0, waitReason: 'monthly budget of $50 for openai reached; resumes on Dec 1', runAt: retryAt });
      expect(execute).toHaveBeenCalledTimes(1);
      expect(execute.mock.calls[0][0].id).toBe(2);
    });
  });

  describe('stop', () => {
    it('aborts in-flight executes and releases their jobs to queued with the attempt given back', async () => {
      const store = new FakeJobStore([makeJob(1), makeJob(2), makeJob(3)]);
      const seen: Array<{ job: Job; signal: AbortSignal }> = [];
      startWorker(store, hangUntilAborted(seen));
      await waitFor(() => seen.length === 2, { what: 'two running jobs' });

      const before = Date.now();
      await worker!.stop();
      expect(worker!.inFlightCount()).toBe(0);
      expect(seen.map(({ signal }) => signal.reason)).toEqual(['ai-assets:shutdown', 'ai-assets:shutdown']);
      for (const id of [1, 2]) {
        const job = store.job(id);
        expect(job).toMatchObject({ status: 'queued', attempts: 0, leaseOwner: null, leaseExpiresAt: null, errorCode: null });
        expect(new Date(job.runAt!).getTime()).toBeGreaterThanOrEqual(before);
        expect(new Date(job.runAt!).getTime()).toBeLessThanOrEqual(Date.now());
        expect(job.attemptLog).toEqual([expect.objectContaining({ attempt: 1, outcome: 'released' })]);
      }
      expect(store.job(3)).toMatchObject({ status: 'queued', attempts: 0, attemptLog: [] });
      const claims = store.writes.filter((write) => write.method === 'claimNext').length;
      await new Promise((resolve) => setImmediate(resolve));
      expect(store.writes.filter((write) => write.method === 'claimNext').length).toBe(claims);
    });

    it('resolves at once when the worker never started', async () => {
      const idle = createWorker({ store: new FakeJobStore().asStore(), config: baseConfig, execute: jest.fn(), log: log() });
      await expect(idle.stop()).resolves.toBeUndefined();
    });
  });
});
