import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';

import type { StatsView } from '../types';
import { LIVE_REFRESH_MS, queryKeys } from './queryKeys';

/** GET /ai-assets/stats. With `live`, refreshes while jobs are in flight (queue health view). */
export const useStats = (options: { live?: boolean } = {}) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.stats(),
    async () => {
      const { data } = await get<{ data: StatsView }>('/ai-assets/stats');
      return data.data;
    },
    {
      retry: false,
      refetchInterval: (stats) => (options.live && stats && stats.inFlight > 0 ? LIVE_REFRESH_MS : false),
    }
  );
};
