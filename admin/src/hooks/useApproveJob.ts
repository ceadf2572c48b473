import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { JobView } from '../types';
import { useInvalidateJobs } from './useInvalidateJobs';

/** POST /ai-assets/jobs/:id/approve: attach the result (to `field`, default the rule target). */
export const useApproveJob = () => {
  const { post } = useFetchClient();
  const invalidateJobs = useInvalidateJobs();
  return useMutation(
    async ({ id, field }: { id: number; field?: string }) => {
      const { data } = await post<{ data: JobView }>(`/ai-assets/jobs/${id}/approve`, field ? { field } : {});
      return data.data;
    },
    { onSuccess: () => invalidateJobs() }
  );
};
