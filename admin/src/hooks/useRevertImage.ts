import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { JobView } from '../types';
import { useInvalidateJobs } from './useInvalidateJobs';

/** POST /ai-assets/jobs/:id/revert: put back the image job `id` attached to `field`; answers with the `revert` job. */
export const useRevertImage = () => {
  const { post } = useFetchClient();
  const invalidateJobs = useInvalidateJobs();
  return useMutation(
    async ({ id, field }: { id: number; field: string }) => {
      const { data } = await post<{ data: JobView }>(`/ai-assets/jobs/${id}/revert`, { field });
      return data.data;
    },
    { onSuccess: () => invalidateJobs() }
  );
};
