import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';

import type { BackfillView } from '../types';
import { LIVE_REFRESH_MS, queryKeys } from './queryKeys';

/**
 * Statuses in which a backfill changes without anyone clicking: its estimate is being counted, or it pages and its
 * jobs run. `ready` and `paused` wait for a click; `done` and `canceled` are final.
 */
export const isLiveBackfill = (backfill: BackfillView) => backfill.status === 'estimating' || backfill.status === 'running';

/** GET /ai-assets/backfills/:id. Polls while the backfill is live, stops once it waits for a click or is over. */
export const useBackfill = (id: number | null) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.backfill(id ?? -1),
    async () => {
      const { data } = await get<{ data: BackfillView }>(`/ai-assets/backfills/${id}`);
      return data.data;
    },
    {
      enabled: id !== null && Number.isFinite(id),
      retry: false,
      refetchInterval: (backfill) => (backfill && isLiveBackfill(backfill) ? LIVE_REFRESH_MS : false),
    }
  );
};
