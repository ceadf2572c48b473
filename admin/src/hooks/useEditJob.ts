import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { JobAccepted } from '../types';
import { useInvalidateJobs } from './useInvalidateJobs';

/** A PNG data URL as a file: masks go up as multipart so the server's 4 MB mask limit applies, not the 1 MB JSON one. */
function pngFile(dataUrl: string): Blob {
  const binary = atob(dataUrl.slice(dataUrl.indexOf(',') + 1));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return new Blob([bytes], { type: 'image/png' });
}

/** POST /ai-assets/jobs/:id/edit: a child job editing the result or the entry image, with an optional PNG mask. */
export const useEditJob = () => {
  const { post } = useFetchClient();
  const invalidateJobs = useInvalidateJobs();
  return useMutation(
    async ({ id, prompt, source, mask }: { id: number; prompt: string; source: 'result' | 'entry'; mask?: string }) => {
      const form = new FormData();
      form.append('prompt', prompt);
      form.append('source', source);
      if (mask) form.append('mask', pngFile(mask), 'mask.png');
      const { data } = await post<{ data: JobAccepted }>(`/ai-assets/jobs/${id}/edit`, form);
      return data.data;
    },
    { onSuccess: () => invalidateJobs() }
  );
};
