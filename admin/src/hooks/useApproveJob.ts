import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { JobView } from '../types';
import { useInvalidateJobs } from './useInvalidateJobs';

/** POST /ai-assets/jobs/:id/approve: attach the result or candidate `candidate` (to `field`, default the rule target). */
export const useApproveJob = () => {
  const { post } = useFetchClient();
  const invalidateJobs = useInvalidateJobs();
  return useMutation(
    async ({ id, field, candidate }: { id: number; field?: string; candidate?: number }) => {
      const body = { ...(field ? { field } : {}), ...(candidate === undefined ? {} : { candidate }) };
      const { data } = await post<{ data: JobView }>(`/ai-assets/jobs/${id}/approve`, body);
      return data.data;
    },
    { onSuccess: () => invalidateJobs() }
  );
};
