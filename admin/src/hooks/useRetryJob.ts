import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { JobView } from '../types';
import { useInvalidateJobs } from './useInvalidateJobs';

/** POST /ai-assets/jobs/:id/retry: a failed or canceled job goes back to the queue. */
export const useRetryJob = () => {
  const { post } = useFetchClient();
  const invalidateJobs = useInvalidateJobs();
  return useMutation(
    async (id: number) => {
      const { data } = await post<{ data: JobView }>(`/ai-assets/jobs/${id}/retry`);
      return data.data;
    },
    { onSuccess: () => invalidateJobs() }
  );
};
