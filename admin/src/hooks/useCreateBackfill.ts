import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { BackfillView } from '../types';
import { useUpdateBackfillCaches } from './useUpdateBackfillCaches';

export interface CreateBackfillVariables {
  ruleId: string;
  filters?: Record<string, unknown>;
  locale?: string;
  /** 'batch': through the provider's Batch API; omitted: the rule's own mode. */
  mode?: 'sync' | 'batch';
  /** Only estimate: nothing is queued or paid until POST .../start. */
  dryRun?: boolean;
}

/** POST /ai-assets/backfills: an estimate (`dryRun`) or a backfill that starts once estimated. */
export const useCreateBackfill = () => {
  const { post } = useFetchClient();
  const updateCaches = useUpdateBackfillCaches();
  return useMutation(
    async (body: CreateBackfillVariables) => {
      const { data } = await post<{ data: BackfillView }>('/ai-assets/backfills', body);
      return data.data;
    },
    { onSuccess: updateCaches }
  );
};
