import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { JobView } from '../types';
import { useInvalidateJobs } from './useInvalidateJobs';

/** POST /ai-assets/jobs/:id/reject. */
export const useRejectJob = () => {
  const { post } = useFetchClient();
  const invalidateJobs = useInvalidateJobs();
  return useMutation(
    async ({ id, reason }: { id: number; reason?: string }) => {
      const { data } = await post<{ data: JobView }>(`/ai-assets/jobs/${id}/reject`, reason ? { reason } : {});
      return data.data;
    },
    { onSuccess: () => invalidateJobs() }
  );
};
