/**
 * Durable job store on Strapi's database. Every state change that can race (claim, heartbeat, finish,
 * admin actions) is a compare-and-set `updateMany` whose WHERE repeats the expected state: the database
 * applies it atomically, so two workers never hold one job, on SQLite, PostgreSQL or MySQL alike.
 */
import type { Core } from '@strapi/strapi';
import { JOB_UID } from '../content-types';
import { DEDUPE_BLOCKING_STATUSES, type JobStatus } from './statuses';
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

export const createJobStore = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(JOB_UID);
  const dialect = (): string => (strapi.db as unknown as { dialect: { client: string } }).dialect.client;

  async function findById(id: number): Promise<Job | null> {
    return (await query().findOne({ where: { id } })) as Job | null;
  }

  async function compareAndSet(where: Where, data: Partial<Job>): Promise<boolean> {
    const { count } = await query().updateMany({ where, data: data as Record<string, unknown> });
    return count > 0;
  }

  /** Job candidates to claim. On PostgreSQL/MySQL SKIP LOCKED keeps instances from queueing behind each other. */
  async function claimCandidates(now: Date, limit: number): Promise<Array<Pick<Job, 'id' | 'attempts'>>> {
    const client = dialect();
    if (client === 'postgres' || client === 'mysql' || client === 'mysql2') {
      const metadata = strapi.db.metadata.get(JOB_UID);
      const column = (name: string) => (metadata.attributes[name] as { columnName?: string }).columnName ?? name;
      return strapi.db.connection.transaction(async (trx) =>
        trx(metadata.tableName)
          .select({ id: 'id', attempts: column('attempts') })
          .where(column('status'), 'queued')
          .andWhere(column('runAt'), '<=', now)
          .orderBy([{ column: column('runAt') }, { column: 'id' }])
          .limit(limit)
          .forUpdate()
          .skipLocked()
      );
    }
    return (await query().findMany({
      select: ['id', 'attempts'],
      where: { status: 'queued', runAt: { $lte: now } },
      orderBy: [{ runAt: 'asc' }, { id: 'asc' }],
      limit,
    })) as Array<Pick<Job, 'id' | 'attempts'>>;
  }

  return {
    findById,

    /** The newest job with this input hash in a status that blocks re-running the same inputs. */
    async findBlockingDuplicate(inputHash: string): Promise<Job | null> {
      return (await query().findOne({
        where: { inputHash, status: { $in: DEDUPE_BLOCKING_STATUSES } },
        orderBy: { id: 'desc' },
      })) as Job | null;
    },

    async insert(job: NewJob, runAt: Date = new Date()): Promise<Job> {
      return (await query().create({
        data: { ...job, status: 'queued', attempts: 0, runAt, attemptLog: [] },
      })) as Job;
    },

    /**
     * Atomically takes the next due job and leases it under `leaseToken` (unique per claim, so a stale
     * execution of an earlier claim of the same job can never write over a newer one); null when nothing is due.
     */
    async claimNext(leaseToken: string, leaseMs: number): Promise<Job | null> {
      const now = new Date();
      for (const candidate of await claimCandidates(now, 5)) {
        const claimed = await compareAndSet(
          { id: candidate.id, status: 'queued', attempts: candidate.attempts },
          {
            status: 'running',
            attempts: candidate.attempts + 1,
            leaseOwner: leaseToken,
            leaseExpiresAt: new Date(now.getTime() + leaseMs),
            startedAt: now,
          }
        );
        if (claimed) return findById(candidate.id);
      }
      return null;
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
      return (await query().findMany({
        where: { status: 'running', leaseExpiresAt: { $lt: now } },
        limit: 100,
      })) as Job[];
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

    async update(id: number, data: Partial<Job>): Promise<Job> {
      return (await query().update({ where: { id }, data: data as Record<string, unknown> })) as Job;
    },

    appendAttempt(job: Job, record: AttemptRecord): AttemptRecord[] {
      // Keep the log bounded: a job that retries for days must not grow without limit.
      return [...(job.attemptLog ?? []), record].slice(-50);
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
};

export type JobStore = ReturnType<typeof createJobStore>;
