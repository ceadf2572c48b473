import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';

import { IN_FLIGHT_STATUSES, type JobFilters, type JobList } from '../types';
import { LIVE_REFRESH_MS, queryKeys } from './queryKeys';

/**
 * GET /ai-assets/jobs. Polls while a queued/running job is in the page it shows; with `idleRefreshMs` it also
 * polls slowly otherwise (the edit view's panel: jobs queued elsewhere may attach to the open entry).
 */
export const useJobs = (filters: JobFilters, options: { enabled?: boolean; idleRefreshMs?: number } = {}) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.jobList(filters),
    async () => {
      const { data } = await get<JobList>('/ai-assets/jobs', { params: filters });
      return data;
    },
    {
      enabled: options.enabled ?? true,
      keepPreviousData: true,
      retry: false,
      refetchInterval: (data) =>
        data?.results.some((job) => IN_FLIGHT_STATUSES.includes(job.status)) ? LIVE_REFRESH_MS : (options.idleRefreshMs ?? false),
    }
  );
};
