import type { QueueConfig } from '../../../server/src/config/schema';
import { ProviderWaitError } from '../../../server/src/providers/limits';
import { createWorker, type Worker } from '../../../server/src/queue/worker';
import { FakeJobStore, makeJob } from '../../fixtures/fake-job-store';
import { waitFor } from '../../fixtures/wait';

const config: QueueConfig = { concurrency: 1, maxAttempts: 2, leaseMs: 1000, pollIntervalMs: 10, backoffBaseMs: 60_000, maxBackoffMs: 60_000, worker: true };
const log = () => ({ info: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn() });

describe('queue/provider-gate', () => {
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  describe('a job whose provider call waits for a limit', () => {
    it('goes back to queued with its attempt given back, runs when the slot frees and shows why', async () => {
      // On its last attempt: a failure would mark it failed, a wait must not.
      const store = new FakeJobStore([makeJob(1, { attempts: 1 })]);
      const until = new Date(Date.now() + 3_600_000);
      const wait = new ProviderWaitError("waiting for studio's rate limit (60/min); next slot at 10:42:05 UTC", 'studio', 'requests', until);
      let runs = 0;
      worker = createWorker({
        store: store.asStore(),
        config,
        log: log(),
        execute: async () => {
          runs += 1;
          throw wait;
        },
      });
      worker.start();
      const job = await waitFor(() => store.job(1).status === 'queued' && store.job(1).errorCode && store.job(1), { what: 'the job put back' });
      expect(runs).toBe(1);
      expect(job).toMatchObject({
        status: 'queued',
        attempts: 1,
        errorCode: 'waiting_for_limit',
        errorMessage: wait.message,
        leaseOwner: null,
        leaseExpiresAt: null,
      });
      expect(new Date(job.runAt!).getTime()).toBe(until.getTime());
      expect(job.attemptLog).toEqual([]);
    });

    it('is due again at the wait\'s retryAt, a little before the slot frees', async () => {
      const store = new FakeJobStore([makeJob(1)]);
      const until = new Date(Date.now() + 3_600_000);
      const retryAt = new Date(until.getTime() - 1000);
      worker = createWorker({
        store: store.asStore(),
        config,
        log: log(),
        execute: async () => {
          throw new ProviderWaitError("waiting for studio's rate limit (60/min); next slot at 10:42:05 UTC", 'studio', 'requests', until, retryAt);
        },
      });
      worker.start();
      const job = await waitFor(() => store.job(1).status === 'queued' && store.job(1).errorCode && store.job(1), { what: 'the job put back' });
      expect(new Date(job.runAt!).getTime()).toBe(retryAt.getTime());
      expect(job.attempts).toBe(0);
    });
  });
});
