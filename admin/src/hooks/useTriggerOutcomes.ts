import { useFetchClient } from '@strapi/strapi/admin';
import { useMemo } from 'react';
import { useQuery } from 'react-query';

import type { TriggerOutcomeView } from '../types';
import { LIVE_REFRESH_MS, queryKeys } from './queryKeys';

/** How long after a save the panel keeps looking for its outcomes (they are written after commit). */
const FOLLOW_SAVE_MS = 15_000;

/**
 * GET /ai-assets/trigger-outcomes for one document (and locale). After a save (`savedAt`, the entry's
 * updatedAt) it polls until an outcome recorded since then arrives, or for FOLLOW_SAVE_MS at most: a save
 * that no rule listens to records nothing.
 */
export const useTriggerOutcomes = (filters: { contentType: string; documentId: string; locale?: string }, savedAt?: string) => {
  const { get } = useFetchClient();
  const savedAtMs = savedAt ? new Date(savedAt).getTime() : 0;
  // Measured on this browser's clock from when the save was seen, so a skewed clock cannot stop the polling early.
  const followUntil = useMemo(() => Date.now() + FOLLOW_SAVE_MS, [savedAtMs]);
  return useQuery(
    [...queryKeys.triggerOutcomes(filters.contentType, filters.documentId, filters.locale), savedAtMs],
    async () => {
      const { data } = await get<{ data: TriggerOutcomeView[] }>('/ai-assets/trigger-outcomes', { params: filters });
      return data.data;
    },
    {
      keepPreviousData: true,
      retry: false,
      refetchInterval: (data) => {
        const caughtUp = data?.some((outcome) => new Date(outcome.recordedAt).getTime() >= savedAtMs);
        return savedAtMs && !caughtUp && Date.now() < followUntil ? LIVE_REFRESH_MS / 2 : false;
      },
    }
  );
};
