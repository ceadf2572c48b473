import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';

import type { RuleView } from '../types';
import { queryKeys } from './queryKeys';

/** GET /ai-assets/rules (optionally for one content type). Rules only change on restart: cache long. */
export const useRules = (contentType?: string) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.rules(contentType),
    async () => {
      const { data } = await get<{ data: RuleView[] }>('/ai-assets/rules', {
        params: contentType ? { contentType } : undefined,
      });
      return data.data;
    },
    { staleTime: 5 * 60_000, retry: false }
  );
};
