/** What a backfill asks of and does to its own jobs (linked by the indexed `backfillId`). */
import type { Core } from '@strapi/strapi';
import { JOB_UID } from '../content-types';
import type { JobStatus } from '../queue/statuses';

/** Held jobs of a paused backfill wait here; MySQL's DATETIME ends at year 9999. */
const HELD_UNTIL = new Date(Date.UTC(9000, 0, 1));
export const PAUSED_REASON = 'Its backfill is paused.';

export const createBackfillJobs = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(JOB_UID);

  return {
    countQueued: (backfillId: number): Promise<number> => query().count({ where: { backfillId, status: 'queued' } }),

    countInFlight: (backfillId: number): Promise<number> => query().count({ where: { backfillId, status: { $in: ['queued', 'running'] } } }),

    /** Keeps the backfill's queued jobs from being claimed until `release`. */
    async hold(backfillId: number): Promise<void> {
      await query().updateMany({ where: { backfillId, status: 'queued' }, data: { runAt: HELD_UNTIL, waitReason: PAUSED_REASON } });
    },

    async release(backfillId: number): Promise<void> {
      await query().updateMany({ where: { backfillId, status: 'queued', waitReason: PAUSED_REASON }, data: { runAt: new Date(), waitReason: null } });
    },

    /** Cancels its queued jobs, freeing their dedupe slot (`activeHash`) like every move out of a blocking status. */
    async cancelQueued(backfillId: number): Promise<number> {
      const { count } = await query().updateMany({ where: { backfillId, status: 'queued' }, data: { status: 'canceled', finishedAt: new Date(), waitReason: null, activeHash: null } });
      return count;
    },

    /** Job counts by status and the recorded spend of one backfill, in two aggregate queries. */
    async summary(backfillId: number): Promise<{ counts: Partial<Record<JobStatus, number>>; spentUsd: number; waiting: string | null }> {
      const metadata = strapi.db.metadata.get(JOB_UID);
      const column = (name: string) => (metadata.attributes[name] as { columnName?: string }).columnName ?? name;
      const table = () => strapi.db.connection(metadata.tableName).where(column('backfillId'), backfillId);
      const [rows, [cost], waitingJob] = await Promise.all([
        table().select({ status: column('status') }).count({ count: '*' }).groupBy(column('status')) as Promise<Array<{ status: JobStatus; count: number | string }>>,
        table().sum({ total: column('costUsd') }) as Promise<Array<{ total: number | string | null }>>,
        query().findOne({ select: ['waitReason'], where: { backfillId, status: 'queued', waitReason: { $notNull: true }, $not: { waitReason: PAUSED_REASON } } }),
      ]);
      return {
        counts: Object.fromEntries(rows.map((row) => [row.status, Number(row.count)])),
        spentUsd: Number(cost?.total ?? 0),
        waiting: (waitingJob as { waitReason?: string } | null)?.waitReason ?? null,
      };
    },

    /** Jobs of the backfill finished in the last `windowMs` (the observed rate behind the ETA). */
    finishedSince: (backfillId: number, since: Date): Promise<number> =>
      query().count({ where: { backfillId, finishedAt: { $gte: since }, status: { $in: ['succeeded', 'awaiting_review', 'approved', 'rejected', 'failed'] } } }),
  };
};

export type BackfillJobs = ReturnType<typeof createBackfillJobs>;
