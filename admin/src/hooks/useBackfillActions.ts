import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { BackfillView } from '../types';
import { useInvalidateJobs } from './useInvalidateJobs';
import { useUpdateBackfillCaches } from './useUpdateBackfillCaches';

type Transition = 'start' | 'pause' | 'resume' | 'cancel';

/** POST /ai-assets/backfills/:id/<transition>; the answer is the backfill's new state, shown at once. */
const useBackfillTransition = (transition: Transition) => {
  const { post } = useFetchClient();
  const updateCaches = useUpdateBackfillCaches();
  const invalidateJobs = useInvalidateJobs();
  return useMutation(
    async (id: number) => {
      const { data } = await post<{ data: BackfillView }>(`/ai-assets/backfills/${id}/${transition}`);
      return data.data;
    },
    {
      onSuccess: (backfill) => {
        updateCaches(backfill);
        // Its jobs were queued, held, released or canceled.
        void invalidateJobs();
      },
    }
  );
};

/** POST .../start: `ready` -> `running` (the confirmation: from here jobs are queued and paid). */
export const useStartBackfill = () => useBackfillTransition('start');
/** POST .../pause: holds its queued jobs. */
export const usePauseBackfill = () => useBackfillTransition('pause');
/** POST .../resume: releases them. */
export const useResumeBackfill = () => useBackfillTransition('resume');
/** POST .../cancel: cancels its queued jobs; running ones finish. */
export const useCancelBackfill = () => useBackfillTransition('cancel');
