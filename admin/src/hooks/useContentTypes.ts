import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';

import type { ContentTypeView } from '../types';
import { queryKeys } from './queryKeys';

/** GET /ai-assets/content-types: content types that have rules, with their media fields. */
export const useContentTypes = (options: { enabled?: boolean } = {}) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.contentTypes(),
    async () => {
      const { data } = await get<{ data: ContentTypeView[] }>('/ai-assets/content-types');
      return data.data;
    },
    { staleTime: 5 * 60_000, retry: false, enabled: options.enabled ?? true }
  );
};
