import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';

import { IN_FLIGHT_STATUSES, type JobDetail } from '../types';
import { LIVE_REFRESH_MS, queryKeys } from './queryKeys';

/** GET /ai-assets/jobs/:id. Polls while the job (or one of its children) is still queued/running. */
export const useJob = (id: number | null) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.job(id ?? -1),
    async () => {
      const { data } = await get<{ data: JobDetail }>(`/ai-assets/jobs/${id}`);
      return data.data;
    },
    {
      enabled: id !== null && Number.isFinite(id),
      retry: false,
      refetchInterval: (job) =>
        job &&
        [job, ...job.children].some((candidate) => IN_FLIGHT_STATUSES.includes(candidate.status))
          ? LIVE_REFRESH_MS
          : false,
    }
  );
};
