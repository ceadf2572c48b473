import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { BulkResult } from '../types';
import { useInvalidateJobs } from './useInvalidateJobs';

/** POST /ai-assets/jobs/bulk: approve or reject many awaiting-review jobs at once. */
export const useBulkReview = () => {
  const { post } = useFetchClient();
  const invalidateJobs = useInvalidateJobs();
  return useMutation(
    async (body: { action: 'approve' | 'reject'; ids: number[] }) => {
      const { data } = await post<{ data: BulkResult }>('/ai-assets/jobs/bulk', body);
      return data.data;
    },
    { onSuccess: () => invalidateJobs() }
  );
};
