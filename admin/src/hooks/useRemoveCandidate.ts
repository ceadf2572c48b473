import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { JobView } from '../types';
import { useInvalidateJobs } from './useInvalidateJobs';

/** DELETE /ai-assets/jobs/:id/candidates/:index: the candidate's files leave the Media Library; the job keeps it in its history. */
export const useRemoveCandidate = () => {
  const { del } = useFetchClient();
  const invalidateJobs = useInvalidateJobs();
  return useMutation(
    async ({ id, index }: { id: number; index: number }) => {
      const { data } = await del<{ data: JobView }>(`/ai-assets/jobs/${id}/candidates/${index}`);
      return data.data;
    },
    { onSuccess: () => invalidateJobs() }
  );
};
