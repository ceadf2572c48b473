import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { JobAccepted } from '../types';
import { useInvalidateJobs } from './useInvalidateJobs';

/** POST /ai-assets/jobs/:id/edit: a child job editing the result or the entry image, with an optional PNG mask. */
export const useEditJob = () => {
  const { post } = useFetchClient();
  const invalidateJobs = useInvalidateJobs();
  return useMutation(
    async ({ id, ...body }: { id: number; prompt: string; source: 'result' | 'entry'; mask?: string }) => {
      const { data } = await post<{ data: JobAccepted }>(`/ai-assets/jobs/${id}/edit`, body);
      return data.data;
    },
    { onSuccess: () => invalidateJobs() }
  );
};
