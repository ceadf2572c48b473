import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';

import type { BackfillView } from '../types';
import { isLiveBackfill } from './useBackfill';
import { LIVE_REFRESH_MS, queryKeys } from './queryKeys';

/** GET /ai-assets/backfills (newest 50). Polls while one of them still moves on its own. */
export const useBackfills = () => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.backfills(),
    async () => {
      const { data } = await get<{ data: BackfillView[] }>('/ai-assets/backfills');
      return data.data;
    },
    {
      retry: false,
      refetchInterval: (backfills) => (backfills?.some(isLiveBackfill) ? LIVE_REFRESH_MS : false),
    }
  );
};
