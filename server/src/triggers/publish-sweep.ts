/**
 * No lost publish. The trigger queues a publish's jobs right after Strapi commits it; a crash (or a database
 * error) in that instant would lose the job. The sweep closes the gap without adding anything to the publish
 * itself: it looks at entries published since the last sweep and, for each rule on `publish`, re-plans every
 * entry that has no job of that rule created since its publish. Planning is the trigger's own (the same
 * filters, `onlyIfEmpty`, and dedupe by input hash), so a sweep racing a trigger or another instance's sweep
 * queues nothing twice.
 *
 * It runs at boot (a restarted process recovers its own crash) and every few minutes on every instance (an
 * instance that never comes back is covered by the others). The first boot only records "now": rules never
 * apply retroactively to content published before the plugin ran (that is a backfill). The periodic sweep
 * leaves out the last minute, where the trigger may still be at work.
 */
import type { Core, UID } from '@strapi/strapi';
import type { RuleConfig } from '../config/schema';
import type { JobStore } from '../queue/job-store';
import { isLocalized } from '../rules/content-schema';
import { getService } from '../utils/get-service';
import { queueRules } from './document-middleware';

const INTERVAL_MS = 5 * 60_000;
const SETTLE_MS = 60_000;
/** Instances' clocks may differ a little; the window overlaps by this much (re-planning is harmless). */
const CLOCK_MARGIN_MS = 5_000;
const PAGE_SIZE = 200;

type PublishedRow = { documentId: string; locale: string | null; publishedAt: string | Date };

export const createPublishSweep = ({ strapi, store }: { strapi: Core.Strapi; store: JobStore }) => {
  const mark = () => strapi.store({ type: 'plugin', name: 'ai-assets', key: 'publish-sweep' });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> = Promise.resolve(0);

  async function sweepRule(rule: RuleConfig, from: Date, until: Date): Promise<number> {
    const localized = isLocalized(strapi, rule.contentType);
    const localeFilter = localized && rule.locales?.length ? { locale: { $in: rule.locales } } : {};
    let requeued = 0;
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const rows = (await strapi.db.query(rule.contentType as UID.ContentType).findMany({
        where: { publishedAt: { $gt: from, $lte: until }, ...localeFilter },
        select: ['documentId', 'locale', 'publishedAt'],
        orderBy: { id: 'asc' },
        limit: PAGE_SIZE,
        offset,
      })) as PublishedRow[];
      if (rows.length === 0) return requeued;
      const oldest = new Date(Math.min(...rows.map((row) => new Date(row.publishedAt).getTime())));
      const jobs = await store.jobsSince(rule.id, [...new Set(rows.map((row) => row.documentId))], oldest);
      for (const row of rows) {
        const locale = localized ? row.locale : null;
        const queued = jobs.some(
          (job) => job.targetDocumentId === row.documentId && (job.targetLocale ?? null) === locale && new Date(job.createdAt) >= new Date(row.publishedAt)
        );
        if (queued) continue;
        requeued += 1;
        await queueRules(strapi, rule.contentType, 'publish', [rule], { documentId: row.documentId, locale });
      }
      if (rows.length < PAGE_SIZE) return requeued;
    }
  }

  /** Sweeps publishes up to `until`; returns how many (rule, entry) pairs were planned again. */
  async function sweep(until: Date): Promise<number> {
    const stored = (await mark().get({})) as { sweptUntil?: string } | null;
    if (!stored?.sweptUntil) {
      await mark().set({ value: { sweptUntil: until.toISOString() } });
      return 0;
    }
    const from = new Date(new Date(stored.sweptUntil).getTime() - CLOCK_MARGIN_MS);
    if (until <= from) return 0;
    const rules = getService(strapi, 'config').get().rules.filter((rule) => rule.on.includes('publish'));
    let requeued = 0;
    for (const rule of rules) requeued += await sweepRule(rule, from, until);
    if (requeued > 0) strapi.log.warn(`ai-assets: the publish sweep queued ${requeued} publish(es) whose jobs were missing`);
    const latest = (await mark().get({})) as { sweptUntil?: string } | null;
    if (!latest?.sweptUntil || new Date(latest.sweptUntil) < until) await mark().set({ value: { sweptUntil: until.toISOString() } });
    return requeued;
  }

  function runOnce(until: Date): Promise<number> {
    running = running.then(() => sweep(until)).catch((error) => {
      strapi.log.error(`ai-assets: the publish sweep failed: ${(error as Error).message}`);
      return 0;
    });
    return running;
  }

  return {
    /** Boot sweep (not awaited by bootstrap), then one sweep every few minutes. */
    start(): void {
      void runOnce(new Date());
      timer = setInterval(() => void runOnce(new Date(Date.now() - SETTLE_MS)), INTERVAL_MS);
      timer.unref();
    },
    sweepNow: (until = new Date()) => runOnce(until),
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
};

export type PublishSweep = ReturnType<typeof createPublishSweep>;
