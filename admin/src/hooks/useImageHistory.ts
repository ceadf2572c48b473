import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';

import type { HistoryImage } from '../types';
import { queryKeys } from './queryKeys';

export interface HistoryQuery {
  contentType: string;
  documentId: string;
  locale?: string;
  field?: string;
}

/** GET /ai-assets/history: what the plugin attached to the entry's media fields, newest first. */
export const useImageHistory = (query: HistoryQuery) => {
  const { get } = useFetchClient();
  const params = { contentType: query.contentType, documentId: query.documentId, locale: query.locale, field: query.field };
  return useQuery(
    queryKeys.history(params),
    async () => {
      const { data } = await get<{ data: HistoryImage[] }>('/ai-assets/history', {
        params: Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined)),
      });
      return data.data;
    },
    { retry: false, keepPreviousData: true }
  );
};
