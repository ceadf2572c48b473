/**
 * The batch runner against an in-memory batch store and a scripted Batch API: what happens to a group's jobs
 * when sending, recording or reading a batch fails part-way. A batch the provider accepted is paid for, so its
 * jobs must never be given back for another batch.
 */
import { createBatchRunner, type BatchRunnerDeps } from '../../../server/src/batch/runner';
import { batchOwner, PENDING_OWNER, type BatchStore } from '../../../server/src/batch/store';
import type { BatchRecord } from '../../../server/src/batch/types';
import type { ProviderBatchApi, RemoteBatch } from '../../../server/src/providers/batch-types';
import { InvalidRequestError, TimeoutError } from '../../../server/src/providers/errors';
import type { Job } from '../../../server/src/queue/types';
import { createBatchService } from '../../../server/src/services/batches';

const CONFIG = { pollIntervalMs: 1000, collectMs: 0, maxJobsPerBatch: 10, leaseMs: 60_000 };

function memoryStore() {
  const batches = new Map<number, BatchRecord>();
  const jobs = new Map<number, Job>();
  let nextId = 1;
  const failures = { updateLeased: 0 };
  const held = (batchId: number) => [...jobs.values()].filter((job) => job.status === 'running' && job.leaseOwner === batchOwner(batchId));
  const store = {
    async findById(id: number) {
      return batches.get(id) ?? null;
    },
    async pendingGroups() {
      const pending = [...jobs.values()].filter((job) => job.status === 'running' && job.leaseOwner === PENDING_OWNER);
      return pending.length ? [{ provider: 'openai', backfillId: null, jobs: pending.length, oldestParkedAt: new Date(0) }] : [];
    },
    async failPending(_group: unknown, code: string, message: string, attemptLogOf: (job: Job, failedAt: Date) => Job['attemptLog']) {
      const failed = [...jobs.values()].filter((job) => job.status === 'running' && job.leaseOwner === PENDING_OWNER);
      for (const job of failed) Object.assign(job, { status: 'failed', errorCode: code, errorMessage: message, leaseOwner: null, attemptLog: attemptLogOf(job, new Date()) });
      return failed.map((job) => job.id);
    },
    async create(group: { provider: string; backfillId: number | null }, owner: string, leaseMs: number) {
      const record = { id: nextId++, provider: group.provider, backfillId: group.backfillId, state: 'preparing', leaseOwner: owner, leaseExpiresAt: new Date(Date.now() + leaseMs), cancelRequested: false, jobCount: 0, remoteId: null, inputFileId: null } as unknown as BatchRecord;
      batches.set(record.id, record);
      return { ...record };
    },
    async takeJobs(batch: BatchRecord) {
      for (const job of jobs.values()) if (job.status === 'running' && job.leaseOwner === PENDING_OWNER) Object.assign(job, { leaseOwner: batchOwner(batch.id), batchId: batch.id });
      return held(batch.id).map((job) => ({ ...job }));
    },
    async updateLeased(id: number, owner: string, data: Partial<BatchRecord>) {
      if (failures.updateLeased > 0 && (data as { state?: string }).state === 'submitted') {
        failures.updateLeased -= 1;
        throw new Error('database is locked');
      }
      const record = batches.get(id);
      if (!record || record.leaseOwner !== owner) return false;
      Object.assign(record, data);
      return true;
    },
    async claim(id: number, state: string, owner: string, leaseMs: number) {
      const record = batches.get(id);
      const expires = record?.leaseExpiresAt ? new Date(record.leaseExpiresAt).getTime() : null;
      if (!record || record.state !== state || (expires !== null && expires >= Date.now())) return false;
      Object.assign(record, { leaseOwner: owner, leaseExpiresAt: new Date(Date.now() + leaseMs) });
      return true;
    },
    async findDue(now: Date) {
      return [...batches.values()].filter((record) => record.state === 'submitted' && new Date(record.nextPollAt as Date) <= now).map((record) => ({ ...record }));
    },
    async findStalePreparing(now: Date) {
      return [...batches.values()].filter((record) => record.state === 'preparing' && new Date(record.leaseExpiresAt as Date) < now).map((record) => ({ ...record }));
    },
    async heldJobs(batchId: number) {
      return held(batchId).map((job) => ({ ...job }));
    },
    async heldJob(batchId: number, jobId: number) {
      const job = held(batchId).find((entry) => entry.id === jobId);
      return job ? { ...job } : null;
    },
    async moveHeld(batchId: number, jobId: number, data: Partial<Job>) {
      const job = held(batchId).find((entry) => entry.id === jobId);
      if (!job) return false;
      Object.assign(job, data);
      return true;
    },
    async setWaitReason(batchId: number, waitReason: string) {
      for (const job of held(batchId)) job.waitReason = waitReason;
    },
    async returnToPending(batchId: number) {
      const back = held(batchId);
      for (const job of back) Object.assign(job, { leaseOwner: PENDING_OWNER, batchId: null });
      return back.length;
    },
    async remove(id: number) {
      batches.delete(id);
    },
  };
  const park = (count: number) => {
    for (let index = 0; index < count; index += 1) {
      const id = jobs.size + 1;
      jobs.set(id, { id, status: 'running', leaseOwner: PENDING_OWNER, prompt: `p${id}`, params: {}, attempts: 1, maxAttempts: 3, provider: 'openai', mode: 'batch' } as unknown as Job);
    }
  };
  return { store: store as unknown as BatchStore, batches, jobs, failures, park };
}

function scriptedApi(overrides: Partial<ProviderBatchApi> = {}) {
  const created: Array<RemoteBatch & { metadata: Record<string, string> }> = [];
  const api: ProviderBatchApi = {
    priceFactor: 0.5,
    requestLine: (customId, request) => JSON.stringify({ custom_id: customId, body: request }),
    upload: async () => 'file-in',
    async create(_fileId, metadata) {
      const remote = { id: `batch_${created.length + 1}`, status: 'validating' as const, outputFileId: null, errorFileId: null, requestCounts: null, problem: null, metadata };
      created.push(remote);
      return remote;
    },
    async findByMetadata(key, value) {
      return created.find((remote) => remote.metadata[key] === value) ?? null;
    },
    retrieve: async (id) => ({ id, status: 'in_progress', outputFileId: null, errorFileId: null, requestCounts: null, problem: null }),
    cancel: async (id) => ({ id, status: 'cancelling', outputFileId: null, errorFileId: null, requestCounts: null, problem: null }),
    async *readLines() {},
    parseLine: async () => ({ customId: '', ok: false, code: 'x', message: 'x' }),
    ...overrides,
  };
  return { api, created };
}

function runnerWith(memory: ReturnType<typeof memoryStore>, api: ProviderBatchApi | undefined, owner = 'instance-a') {
  const logs: string[] = [];
  const log = (message: string) => logs.push(message);
  const deps: BatchRunnerDeps = {
    store: memory.store,
    jobStore: { appendAttempt: (job, record) => [...(job.attemptLog ?? []), record] },
    findProvider: () => (api ? ({ batch: api } as never) : ({} as never)),
    config: () => CONFIG,
    onJobsQueued: () => undefined,
    onJobFailed: () => undefined,
    owner,
    log: { info: log, warn: log, error: log, debug: log },
  };
  return { runner: createBatchRunner(deps), logs };
}

const statuses = (memory: ReturnType<typeof memoryStore>) => [...memory.jobs.values()].map((job) => `${job.status}:${job.leaseOwner}`);

describe('batch runner: a batch the provider accepted is never sent again', () => {
  it('adopts the batch when create timed out after the provider accepted it', async () => {
    const memory = memoryStore();
    memory.park(2);
    const { api, created } = scriptedApi();
    const accept = api.create.bind(api);
    api.create = async (fileId, metadata) => {
      await accept(fileId, metadata);
      throw new TimeoutError('OpenAI did not answer within 5000 ms.');
    };
    const { runner, logs } = runnerWith(memory, api);
    await runner.tick();
    expect(created).toHaveLength(1);
    expect(memory.batches.get(1)).toMatchObject({ state: 'submitted', remoteId: 'batch_1' });
    expect(statuses(memory)).toEqual(['running:batch:1', 'running:batch:1']);
    expect(logs.join('\n')).toMatch(/OpenAI has it as batch_1; adopted/);
  });

  it('requeues the jobs when create timed out and the provider has no such batch', async () => {
    const memory = memoryStore();
    memory.park(1);
    const { api } = scriptedApi({ create: async () => Promise.reject(new TimeoutError('OpenAI did not answer within 5000 ms.')) });
    const { runner } = runnerWith(memory, api);
    await runner.tick();
    expect(memory.batches.get(1)).toMatchObject({ state: 'abandoned' });
    expect(memory.jobs.get(1)).toMatchObject({ status: 'queued', errorCode: 'batch_submit_failed' });
  });

  it('leaves the record for a later look when create and the lookup both fail (no requeue)', async () => {
    const memory = memoryStore();
    memory.park(1);
    const { api } = scriptedApi({
      create: async () => Promise.reject(new TimeoutError('OpenAI did not answer within 5000 ms.')),
      findByMetadata: async () => Promise.reject(new TimeoutError('still down')),
    });
    const { runner } = runnerWith(memory, api);
    await runner.tick();
    expect(memory.batches.get(1)).toMatchObject({ state: 'preparing', leaseOwner: null });
    expect(memory.jobs.get(1)).toMatchObject({ status: 'running', leaseOwner: 'batch:1' });
  });

  it('keeps the batch when recording it fails a few times, and never requeues its jobs', async () => {
    const memory = memoryStore();
    memory.park(2);
    memory.failures.updateLeased = 2;
    const { api, created } = scriptedApi();
    const { runner } = runnerWith(memory, api);
    await runner.tick();
    expect(created).toHaveLength(1);
    expect(memory.batches.get(1)).toMatchObject({ state: 'submitted', remoteId: 'batch_1' });
    expect(statuses(memory)).toEqual(['running:batch:1', 'running:batch:1']);
  });

  it('adopts by metadata when recording never succeeded, once the lease expired', async () => {
    const memory = memoryStore();
    memory.park(1);
    memory.failures.updateLeased = 99;
    const { api, created } = scriptedApi();
    const { runner, logs } = runnerWith(memory, api);
    await runner.tick();
    expect(logs.join('\n')).toMatch(/batch_1 \(record 1\) was sent but recording it failed/);
    memory.failures.updateLeased = 0;
    Object.assign(memory.batches.get(1) as BatchRecord, { leaseExpiresAt: new Date(Date.now() - 1) }); // the sender died
    await runnerWith(memory, api, 'instance-b').runner.tick();
    expect(created).toHaveLength(1);
    expect(memory.batches.get(1)).toMatchObject({ state: 'submitted', remoteId: 'batch_1' });
    expect(memory.jobs.get(1)).toMatchObject({ status: 'running', leaseOwner: 'batch:1' });
  });

  it('gives the jobs of a half-sent record back only when the provider has no batch for it', async () => {
    const memory = memoryStore();
    memory.park(1);
    const { api, created } = scriptedApi({ create: async () => Promise.reject(new InvalidRequestError('refused')) });
    const record = await memory.store.create({ provider: 'openai', backfillId: null }, 'dead', 60_000);
    await memory.store.takeJobs(record, 10);
    Object.assign(memory.batches.get(1) as BatchRecord, { inputFileId: 'file-in', jobCount: 1, leaseExpiresAt: new Date(Date.now() - 1) });
    await runnerWith(memory, api).runner.tick();
    expect(created).toHaveLength(0);
    expect(memory.batches.get(1)).toMatchObject({ state: 'abandoned' });
  });
});

describe('batch runner: the results of an ended batch are read again, never paid again', () => {
  const completed = (id: string): RemoteBatch => ({ id, status: 'completed', outputFileId: 'file-out', errorFileId: null, requestCounts: { total: 2, completed: 2, failed: 0 }, problem: null });
  const submitted = async (memory: ReturnType<typeof memoryStore>, api: ProviderBatchApi) => {
    memory.park(2);
    await runnerWith(memory, api).runner.tick();
    expect(memory.batches.get(1)).toMatchObject({ state: 'submitted' });
    Object.assign(memory.batches.get(1) as BatchRecord, { nextPollAt: new Date(0) });
  };

  it('fails the held jobs with a readable reason, without requeueing them, when the output file is gone', async () => {
    const memory = memoryStore();
    const { api } = scriptedApi({
      retrieve: async (id) => completed(id),
      async *readLines() {
        throw new InvalidRequestError('OpenAI does not know files file-out (404).');
      },
    });
    await submitted(memory, api);
    await runnerWith(memory, api).runner.tick();
    for (const job of memory.jobs.values()) {
      expect(job).toMatchObject({ status: 'failed', errorCode: 'batch_results_unreadable' });
      expect(job.errorMessage).toMatch(/batch_1 ended completed but its results could not be read .*not sent again/);
    }
    expect(memory.batches.get(1)).toMatchObject({ state: 'ended' });
  });

  it('reads again at the next polls while the file download fails transiently, then fails without requeue', async () => {
    const memory = memoryStore();
    let reads = 0;
    const { api } = scriptedApi({
      retrieve: async (id) => completed(id),
      async *readLines() {
        reads += 1;
        throw new TimeoutError('OpenAI did not answer within 5000 ms.');
      },
    });
    await submitted(memory, api);
    const { runner } = runnerWith(memory, api, 'poller');
    await runner.tick();
    expect(memory.batches.get(1)).toMatchObject({ state: 'submitted' });
    expect(statuses(memory)).toEqual(['running:batch:1', 'running:batch:1']);
    for (let poll = 0; poll < 10 && memory.batches.get(1)?.state === 'submitted'; poll += 1) {
      Object.assign(memory.batches.get(1) as BatchRecord, { nextPollAt: new Date(0) });
      await runner.tick();
    }
    expect(reads).toBe(5);
    expect([...memory.jobs.values()].map((job) => job.status)).toEqual(['failed', 'failed']);
  });

  it('still ends a batch the provider no longer knows as failed (retrieve refused)', async () => {
    const memory = memoryStore();
    const { api } = scriptedApi({ retrieve: async () => Promise.reject(new InvalidRequestError('OpenAI does not know batches (404).')) });
    await submitted(memory, api);
    await runnerWith(memory, api).runner.tick();
    expect([...memory.jobs.values()].map((job) => job.errorCode)).toEqual(['batch_failed', 'batch_failed']);
    expect(memory.batches.get(1)).toMatchObject({ state: 'ended' });
  });
});

describe('batch runner: a provider that lost its Batch API', () => {
  it('fails the parked jobs with a readable reason instead of holding them forever', async () => {
    const memory = memoryStore();
    memory.park(2);
    await runnerWith(memory, undefined).runner.tick();
    for (const job of memory.jobs.values()) {
      expect(job).toMatchObject({ status: 'failed', errorCode: 'batch_unavailable' });
      expect(job.errorMessage).toMatch(/Provider "openai" no longer offers a Batch API/);
      // The job page's attempt history says what happened, like any other failure.
      expect(job.attemptLog).toEqual([expect.objectContaining({ attempt: job.attempts, outcome: 'failed', errorCode: 'batch_unavailable', retryable: false })]);
    }
  });

  it('ends a submitted batch with its jobs failed, not polled forever', async () => {
    const memory = memoryStore();
    memory.park(1);
    const { api } = scriptedApi();
    await runnerWith(memory, api).runner.tick();
    Object.assign(memory.batches.get(1) as BatchRecord, { nextPollAt: new Date(0) });
    await runnerWith(memory, undefined).runner.tick();
    expect(memory.batches.get(1)).toMatchObject({ state: 'ended' });
    expect(memory.jobs.get(1)).toMatchObject({ status: 'failed', errorCode: 'batch_unavailable' });
    expect(memory.jobs.get(1)?.errorMessage).toMatch(/OpenAI batch batch_1 can no longer be read/);
  });
});

describe('batch mode: a job canceled while it is being handed over is never paid', () => {
  it('does not create the batch when its backfill was canceled while the record was being prepared', async () => {
    const memory = memoryStore();
    memory.park(2);
    const { api, created } = scriptedApi();
    api.upload = async () => {
      Object.assign(memory.batches.get(1) as BatchRecord, { cancelRequested: true }); // the editor cancels meanwhile
      return 'file-in';
    };
    await runnerWith(memory, api).runner.tick();
    expect(created).toHaveLength(0);
    expect([...memory.jobs.values()].map((job) => job.status)).toEqual(['canceled', 'canceled']);
    expect(memory.batches.get(1)).toMatchObject({ state: 'abandoned' });
  });

  it('tells the worker a batch-mode job was taken even when it left before it could be parked', async () => {
    const parked: unknown[] = [];
    const strapi = {
      plugin: () => ({ service: (name: string) => (name === 'providers' ? { find: () => ({ batch: {} }) } : { get: () => ({ batch: CONFIG }) }) }),
      db: { query: () => ({ updateMany: async (query: unknown) => (parked.push(query), { count: 0 }) }) },
      log: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined },
    };
    const service = createBatchService({ strapi: strapi as never, store: {} as never });
    const job = { id: 5, mode: 'batch', provider: 'openai', checkpointData: null, resultFileId: null } as unknown as Job;
    // The park found no job (canceled between claim and park): the worker must not run it synchronously.
    await expect(service.divert(job, 'worker-1')).resolves.toBe(true);
    expect(parked).toHaveLength(1);
    await expect(service.divert({ ...job, mode: 'sync' } as Job, 'worker-1')).resolves.toBe(false);
  });
});
