import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { JobAccepted } from '../types';
import { useInvalidateJobs } from './useInvalidateJobs';

/** POST /ai-assets/jobs/:id/regenerate: a child job, optionally with another prompt or params. */
export const useRegenerateJob = () => {
  const { post } = useFetchClient();
  const invalidateJobs = useInvalidateJobs();
  return useMutation(
    async ({ id, prompt, params }: { id: number; prompt?: string; params?: Record<string, unknown> }) => {
      const { data } = await post<{ data: JobAccepted }>(`/ai-assets/jobs/${id}/regenerate`, { prompt, params });
      return data.data;
    },
    { onSuccess: () => invalidateJobs() }
  );
};
