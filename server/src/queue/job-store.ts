/**
 * Durable job store on Strapi's database. The database holds the invariants:
 * - dedupe: `activeHash` carries the input hash while a job blocks re-running the same inputs and is unique,
 *   so two processes inserting the same inputs at once get one row (the loser reads the winner);
 * - claims: one statement takes the next due job (`claim.ts`), so two workers never hold one job;
 * - every later state change is a compare-and-set `updateMany` whose WHERE repeats the expected state.
 */
import type { Core } from '@strapi/strapi';
import { JOB_UID } from '../content-types';
import { retryOnLockConflict } from '../utils/lock-conflict';
import { claimNextDue } from './claim';
import { DEDUPE_BLOCKING_STATUSES, FINAL_STATUSES, type JobStatus } from './statuses';
import type { AttemptRecord, Job, NewJob } from './types';

type Where = Record<string, unknown>;

export interface ListFilters {
  status?: JobStatus[];
  contentType?: string;
  targetDocumentId?: string;
  targetLocale?: string;
  rule?: string;
  search?: string;
  createdAfter?: Date;
  createdBefore?: Date;
}

export interface InsertResult {
  job: Job;
  deduplicated: boolean;
}

/** Payloads only a running job needs; dropped once nothing can run the job again. */
const PAYLOADS_DROPPED_WHEN_DONE = { maskData: null, checkpointData: null, checkpointMime: null };
const DONE_FOR_GOOD: JobStatus[] = ['succeeded', 'approved', 'rejected'];
/** The live preview belongs to one running attempt: gone as soon as the job leaves `running`. */
const PREVIEW_DROPPED = { previewData: null, previewIndex: null, previewAt: null };

/**
 * Keeps `activeHash` in step with the status: cleared when a job stops blocking its inputs, payloads dropped
 * when done, the live preview dropped when the job stops running.
 */
function withStatusInvariants(data: Partial<Job>): Record<string, unknown> {
  if (!data.status) return data as Record<string, unknown>;
  return {
    ...data,
    ...(DEDUPE_BLOCKING_STATUSES.includes(data.status) ? {} : { activeHash: null }),
    ...(DONE_FOR_GOOD.includes(data.status) ? PAYLOADS_DROPPED_WHEN_DONE : {}),
    ...(data.status === 'running' ? {} : PREVIEW_DROPPED),
  };
}

/**
 * The new row as it was inserted. Where the database has no RETURNING (MySQL), Strapi reads the row back after
 * the insert, and a worker may have claimed it in between: the caller is told about the job it queued.
 */
function asInserted(row: Job): Job {
  return { ...row, status: 'queued', attempts: 0, leaseOwner: null, leaseExpiresAt: null, startedAt: null };
}

export const createJobStore = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(JOB_UID);
  // Wakes this process's worker when a job becomes due here (other processes find it at their next poll).
  const dueListeners = new Set<() => void>();
  const notifyDue = () => dueListeners.forEach((listener) => listener());

  async function findById(id: number): Promise<Job | null> {
    return (await query().findOne({ where: { id } })) as Job | null;
  }

  async function findActive(inputHash: string): Promise<Job | null> {
    return (await query().findOne({ where: { activeHash: inputHash } })) as Job | null;
  }

  function newRow(job: NewJob, options: { force?: boolean; runAt?: Date } = {}) {
    return { ...job, status: 'queued', attempts: 0, runAt: options.runAt ?? new Date(), attemptLog: [], activeHash: options.force ? null : job.inputHash };
  }

  async function compareAndSet(where: Where, data: Partial<Job>): Promise<boolean> {
    const write = () => query().updateMany({ where, data: withStatusInvariants(data) });
    // On its own, the statement is the whole transaction: a lock conflict rolled it back, so it may run again.
    const { count } = await (strapi.db.inTransaction() ? write() : retryOnLockConflict(write));
    if (count > 0 && data.status === 'queued') notifyDue();
    return count > 0;
  }

  const store = {
    findById,
    findActive,

    onDue(listener: () => void): () => void {
      dueListeners.add(listener);
      return () => dueListeners.delete(listener);
    },

    /**
     * Inserts a queued job. Unless `force`, the job takes the active slot of its input hash: when another job
     * holds it (in this process or any other), the unique key refuses the row and that job is returned instead.
     */
    async insert(job: NewJob, options: { force?: boolean; runAt?: Date } = {}): Promise<InsertResult> {
      const data = newRow(job, options);
      // A conflicting job may end between our insert and our read: then the slot is free and we try again.
      for (let round = 0; round < 3; round += 1) {
        try {
          const created = (await query().create({ data })) as Job;
          notifyDue();
          return { job: asInserted(created), deduplicated: false };
        } catch (error) {
          if (options.force) throw error;
          const existing = await findActive(job.inputHash);
          if (existing) return { job: existing, deduplicated: true };
          if (round === 2) throw error;
        }
      }
      throw new Error('unreachable');
    },

    /**
     * Deduplicated insert of many jobs (bulk runs): one query finds the inputs already active, one statement
     * inserts the rest. If that statement meets a job inserted meanwhile (the unique key refuses it), each job
     * is inserted on its own instead. Returns the hashes that were deduplicated.
     */
    async insertMany(jobs: NewJob[]): Promise<{ inserted: number; deduplicated: number }> {
      const active = jobs.length
        ? ((await query().findMany({ select: ['activeHash'], where: { activeHash: { $in: jobs.map((job) => job.inputHash) } } })) as Array<{ activeHash: string }>)
        : [];
      const taken = new Set(active.map((row) => row.activeHash));
      const fresh: NewJob[] = [];
      for (const job of jobs) {
        if (taken.has(job.inputHash)) continue;
        taken.add(job.inputHash);
        fresh.push(job);
      }
      const deduplicated = jobs.length - fresh.length;
      if (fresh.length === 0) return { inserted: 0, deduplicated };
      try {
        // Chunks keep each statement under SQLite's bound-parameter limit.
        for (let start = 0; start < fresh.length; start += 200) await query().createMany({ data: fresh.slice(start, start + 200).map((job) => newRow(job)) });
        notifyDue();
        return { inserted: fresh.length, deduplicated };
      } catch {
        let inserted = 0;
        for (const job of fresh) if (!(await store.insert(job)).deduplicated) inserted += 1;
        return { inserted, deduplicated: jobs.length - inserted };
      }
    },

    /**
     * Atomically takes the next due job and leases it under `leaseToken` (unique per claim, so a stale
     * execution of an earlier claim of the same job can never write over a newer one); null when nothing is due.
     */
    async claimNext(leaseToken: string, leaseMs: number): Promise<Job | null> {
      const id = await claimNextDue(strapi, leaseToken, leaseMs);
      return id === null ? null : findById(id);
    },

    /** Extends the given leases; returns the lease tokens no longer held (job canceled, or lease taken over). */
    async heartbeat(leases: Array<{ id: number; leaseOwner: string }>, leaseMs: number): Promise<string[]> {
      if (leases.length === 0) return [];
      const held = { status: 'running', $or: leases.map(({ id, leaseOwner }) => ({ id, leaseOwner })) };
      await query().updateMany({ where: held, data: { leaseExpiresAt: new Date(Date.now() + leaseMs) } });
      const rows = (await query().findMany({ select: ['leaseOwner'], where: held })) as Array<{ leaseOwner: string }>;
      const stillHeld = new Set(rows.map((row) => row.leaseOwner));
      return leases.map((lease) => lease.leaseOwner).filter((token) => !stillHeld.has(token));
    },

    /** Running jobs whose lease expired: their worker died. */
    async findExpiredLeases(now: Date): Promise<Job[]> {
      return (await query().findMany({ where: { status: 'running', leaseExpiresAt: { $lt: now } }, limit: 100 })) as Job[];
    },

    /** Running jobs leased by owners whose token starts with `prefix` (e.g. this host's earlier processes). */
    async findLeasesStartingWith(prefix: string): Promise<Job[]> {
      return (await query().findMany({ where: { status: 'running', leaseOwner: { $startsWith: prefix } }, limit: 1000 })) as Job[];
    },

    /** Whether the claim `leaseToken` still holds the running job (not canceled, not taken over). */
    async isHeld(id: number, leaseToken: string): Promise<boolean> {
      return (await query().count({ where: { id, status: 'running', leaseOwner: leaseToken } })) > 0;
    },

    /** Writes `data` only while the claim `leaseToken` still holds the running job. */
    async updateHeld(id: number, leaseToken: string, data: Partial<Job>): Promise<boolean> {
      return compareAndSet({ id, status: 'running', leaseOwner: leaseToken }, data);
    },

    /** Moves a job from one of `from` to new data; false when someone else changed it first. */
    async transition(id: number, from: JobStatus[], data: Partial<Job>, extraWhere: Where = {}): Promise<boolean> {
      return compareAndSet({ id, status: { $in: from }, ...extraWhere }, data);
    },

    /**
     * Puts a failed or canceled job back in the queue, taking the active slot of its inputs again when free
     * (a retry is an explicit editor action, so a job already holding the slot does not block it).
     */
    async requeue(job: Job, from: JobStatus[], data: Partial<Job>): Promise<boolean> {
      try {
        return await compareAndSet({ id: job.id, status: { $in: from } }, { ...data, status: 'queued', activeHash: job.inputHash });
      } catch (error) {
        if (!(await findActive(job.inputHash))) throw error;
        return compareAndSet({ id: job.id, status: { $in: from } }, { ...data, status: 'queued', activeHash: null });
      }
    },

    async update(id: number, data: Partial<Job>): Promise<Job> {
      return (await query().update({ where: { id }, data: withStatusInvariants(data) })) as Job;
    },

    appendAttempt(job: Job, record: AttemptRecord): AttemptRecord[] {
      // Keep the log bounded: a job that retries for days must not grow without limit.
      return [...(job.attemptLog ?? []), record].slice(-50);
    },

    /** Deletes jobs that ended before `before`; returns how many. Bounded batches keep each statement short. */
    async pruneFinished(before: Date, batchSize = 500): Promise<number> {
      let total = 0;
      for (;;) {
        const rows = (await query().findMany({ select: ['id'], where: { status: { $in: FINAL_STATUSES }, finishedAt: { $lt: before } }, limit: batchSize })) as Array<{ id: number }>;
        if (rows.length === 0) return total;
        const { count } = await query().deleteMany({ where: { id: { $in: rows.map((row) => row.id) }, status: { $in: FINAL_STATUSES } } });
        total += count;
        if (rows.length < batchSize) return total;
      }
    },

    async list(filters: ListFilters, page: number, pageSize: number) {
      const where: Where = {};
      if (filters.status?.length) where.status = { $in: filters.status };
      if (filters.contentType) where.contentType = filters.contentType;
      if (filters.targetDocumentId) where.targetDocumentId = filters.targetDocumentId;
      if (filters.targetLocale) where.targetLocale = filters.targetLocale;
      if (filters.rule) where.rule = filters.rule;
      if (filters.search) where.$or = [{ entryTitle: { $containsi: filters.search } }, { targetDocumentId: filters.search }];
      if (filters.createdAfter || filters.createdBefore) {
        where.createdAt = {
          ...(filters.createdAfter ? { $gte: filters.createdAfter } : {}),
          ...(filters.createdBefore ? { $lte: filters.createdBefore } : {}),
        };
      }
      const [results, total] = await Promise.all([
        query().findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], offset: (page - 1) * pageSize, limit: pageSize }),
        query().count({ where }),
      ]);
      return { results: results as Job[], pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } };
    },

    /**
     * Gives every job of one document locale the entry's current title (jobs list and search show what the
     * editor sees now, not the title at queue time). Touches only rows whose title differs.
     */
    async retitle(contentType: string, documentId: string, locale: string | null, title: string | null): Promise<number> {
      const differs = title === null ? { entryTitle: { $notNull: true } } : { $or: [{ entryTitle: { $ne: title } }, { entryTitle: { $null: true } }] };
      const where = { contentType, targetDocumentId: documentId, targetLocale: locale ?? { $null: true }, ...differs };
      return (await query().updateMany({ where, data: { entryTitle: title } })).count;
    },

    async countByStatus(): Promise<Record<string, number>> {
      const metadata = strapi.db.metadata.get(JOB_UID);
      const statusColumn = (metadata.attributes.status as { columnName?: string }).columnName ?? 'status';
      const rows = (await strapi.db
        .connection(metadata.tableName)
        .select({ status: statusColumn })
        .count({ count: '*' })
        .groupBy(statusColumn)) as Array<{ status: string; count: number | string }>;
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
    },

    /**
     * Read-modify-write of one job under a row lock (`SELECT ... FOR UPDATE`; SQLite has one writer at a time), for
     * changes a compare-and-set on the status cannot express (one candidate of the result JSON). `change` returns
     * the data to write, or throws to leave the job as it was.
     */
    async updateLocked(id: number, change: (job: Job) => Partial<Job>): Promise<Job> {
      return strapi.db.transaction(async ({ trx }) => {
        if (strapi.db.dialect.client !== 'sqlite') {
          await strapi.db.queryBuilder(JOB_UID).select(['id']).where({ id }).forUpdate().transacting(trx as never).execute();
        }
        const job = await findById(id);
        if (!job) throw new Error(`Job ${id} does not exist.`);
        return (await query().update({ where: { id }, data: withStatusInvariants(change(job)) })) as Job;
      });
    },

    /** Records a job that is done the moment it exists (a revert): never queued, never claimed, never a dedupe slot. */
    async insertDone(job: NewJob, data: Partial<Job>): Promise<Job> {
      return (await query().create({ data: withStatusInvariants({ ...job, attempts: 0, attemptLog: [], activeHash: null, ...data }) })) as Job;
    },

    /** Jobs that attached an image to this document (and locale, when given), the latest attach first. */
    async attachedTo(contentType: string, documentId: string, locale: string | undefined, limit: number): Promise<Job[]> {
      return (await query().findMany({
        where: { contentType, targetDocumentId: documentId, ...(locale ? { targetLocale: locale } : {}), attachedAt: { $notNull: true } },
        orderBy: [{ attachedAt: 'desc' }, { id: 'desc' }],
        limit,
      })) as Job[];
    },

    async children(parentJobId: number): Promise<Job[]> {
      return (await query().findMany({ where: { parentJobId }, orderBy: { id: 'asc' } })) as Job[];
    },

    async count(where: Where): Promise<number> {
      return query().count({ where });
    },

    /** Jobs of `rule` for these documents created at or after `since` (the publish sweep's "was it queued?"). */
    async jobsSince(rule: string, documentIds: string[], since: Date): Promise<Array<Pick<Job, 'targetDocumentId' | 'targetLocale' | 'createdAt'>>> {
      if (documentIds.length === 0) return [];
      return (await query().findMany({
        where: { rule, targetDocumentId: { $in: documentIds }, createdAt: { $gte: since } },
        select: ['targetDocumentId', 'targetLocale', 'createdAt'],
      })) as Array<Pick<Job, 'targetDocumentId' | 'targetLocale' | 'createdAt'>>;
    },
  };
  return store;
};

export type JobStore = ReturnType<typeof createJobStore>;
