/**
 * Backfill rows on Strapi's database. Status changes and the paging step are compare-and-set `updateMany`
 * calls, so operators and several instances can act at once without double paging or lost transitions.
 */
import type { Core } from '@strapi/strapi';
import { BACKFILL_UID } from '../content-types';
import { STEPPING_STATUSES, type Backfill, type BackfillStatus } from './types';

type Where = Record<string, unknown>;

export const createBackfillStore = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(BACKFILL_UID);

  async function compareAndSet(where: Where, data: Partial<Backfill>): Promise<boolean> {
    const { count } = await query().updateMany({ where, data: data as Record<string, unknown> });
    return count > 0;
  }

  return {
    async insert(data: Partial<Backfill>): Promise<Backfill> {
      return (await query().create({ data: data as Record<string, unknown> })) as Backfill;
    },

    async findById(id: number): Promise<Backfill | null> {
      return (await query().findOne({ where: { id } })) as Backfill | null;
    },

    async list(limit: number): Promise<Backfill[]> {
      return (await query().findMany({ orderBy: { id: 'desc' }, limit })) as Backfill[];
    },

    /** Backfills with paging work whose step nobody holds (or whose holder died). */
    async findSteppable(now: Date, limit: number): Promise<Backfill[]> {
      return (await query().findMany({
        where: { status: { $in: STEPPING_STATUSES }, $or: [{ stepLeaseExpiresAt: { $null: true } }, { stepLeaseExpiresAt: { $lt: now } }] },
        orderBy: { id: 'asc' },
        limit,
      })) as Backfill[];
    },

    /** Takes the paging step of `backfill` for `leaseMs`; returns the version that identifies this claim, or null. */
    async claimStep(backfill: Backfill, leaseMs: number): Promise<number | null> {
      const version = backfill.stepVersion + 1;
      const claimed = await compareAndSet(
        { id: backfill.id, status: backfill.status, stepVersion: backfill.stepVersion },
        { stepVersion: version, stepLeaseExpiresAt: new Date(Date.now() + leaseMs) }
      );
      return claimed ? version : null;
    },

    /** Records a step's progress and releases the step, only if this claim still holds it. */
    async finishStep(id: number, version: number, data: Partial<Backfill>, status?: BackfillStatus[]): Promise<boolean> {
      return compareAndSet({ id, stepVersion: version, ...(status ? { status: { $in: status } } : {}) }, { ...data, stepLeaseExpiresAt: null });
    },

    /** Releases every step lease this process holds (graceful shutdown), so another instance takes over at once. */
    async releaseStep(id: number, version: number): Promise<void> {
      await compareAndSet({ id, stepVersion: version }, { stepLeaseExpiresAt: null });
    },

    /** A finished estimate moves on to running when the operator already confirmed (start during estimating). */
    async startIfRequested(id: number): Promise<boolean> {
      return compareAndSet({ id, status: 'ready', startWhenReady: true }, { status: 'running', cursor: 0, startedAt: new Date() });
    },

    async transition(id: number, from: BackfillStatus[], data: Partial<Backfill>): Promise<boolean> {
      return compareAndSet({ id, status: { $in: from } }, data);
    },
  };
};

export type BackfillStore = ReturnType<typeof createBackfillStore>;
