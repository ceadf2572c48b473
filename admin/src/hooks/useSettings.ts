import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';

import type { SettingsView } from '../types';
import { queryKeys } from './queryKeys';

/** GET /ai-assets/settings: providers (never a key), rules, queue configuration. */
export const useSettings = () => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.settings(),
    async () => {
      const { data } = await get<{ data: SettingsView }>('/ai-assets/settings');
      return data.data;
    },
    { retry: false }
  );
};
