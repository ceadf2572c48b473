import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';

import { PREVIEW_REFRESH_MS, queryKeys } from './queryKeys';

/** GET /ai-assets/jobs/:id/preview (docs/admin-api.md). */
export interface JobLivePreview {
  jobId: number;
  status: string;
  startedAt: string | null;
  /** The latest partial frame of the running job (a small WebP data URL), or null. */
  frame: { index: number; at: string | null; image: string } | null;
}

const isAbort = (error: unknown) => (error as { name?: unknown } | null)?.name === 'AbortError';

/**
 * The running job's latest partial frame, polled while `running` is true. The preview disappears the moment
 * the job ends, often with a poll under way: the fetch client aborts that request on unmount, which is not an
 * error worth reporting, so the poll then just yields no frame.
 */
export const useJobPreview = (id: number, running: boolean) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.jobPreview(id),
    async (): Promise<JobLivePreview | null> => {
      try {
        const { data } = await get<{ data: JobLivePreview }>(`/ai-assets/jobs/${id}/preview`);
        return data.data;
      } catch (error) {
        if (isAbort(error)) return null;
        throw error;
      }
    },
    {
      enabled: running,
      retry: false,
      // Keep showing the last frame between polls instead of flashing back to the placeholder.
      keepPreviousData: true,
      refetchInterval: running ? PREVIEW_REFRESH_MS : false,
    }
  );
};
