import { pluginId } from '../pluginId';
import type { JobFilters } from '../types';

/** One place for cache keys, so a mutation can invalidate exactly what it changed. */
export const queryKeys = {
  all: [pluginId] as const,
  jobs: () => [pluginId, 'jobs'] as const,
  jobList: (filters: JobFilters) => [pluginId, 'jobs', 'list', filters] as const,
  job: (id: number) => [pluginId, 'jobs', 'detail', id] as const,
  triggerOutcomes: (contentType: string, documentId: string, locale?: string) => [pluginId, 'trigger-outcomes', contentType, documentId, locale ?? 'any'] as const,
  jobPreview: (id: number) => [pluginId, 'jobs', 'preview', id] as const,
  /** Under `jobs`: every job mutation may change an entry's image history. */
  history: (query: Record<string, string | undefined>) => [pluginId, 'jobs', 'history', query] as const,
  rules: (contentType?: string) => [pluginId, 'rules', contentType ?? 'all'] as const,
  contentTypes: () => [pluginId, 'content-types'] as const,
  settings: () => [pluginId, 'settings'] as const,
  stats: () => [pluginId, 'stats'] as const,
  backfills: () => [pluginId, 'backfills'] as const,
  backfill: (id: number) => [pluginId, 'backfills', 'detail', id] as const,
  budgets: () => [pluginId, 'budgets'] as const,
};

/** Polling interval while a job that can still change on its own is on screen. */
export const LIVE_REFRESH_MS = 2000;
/** How often the edit view's panel looks for jobs it did not start (one small indexed query). */
export const PANEL_IDLE_REFRESH_MS = 10_000;
/** Polling interval of a running job's live preview (partial frames arrive every few seconds). */
export const PREVIEW_REFRESH_MS = 1000;
