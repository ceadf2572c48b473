import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { ProviderTestResult } from '../types';

/** POST /ai-assets/providers/:name/test: one small real call; the answer carries the image or the error. */
export const useTestProvider = () => {
  const { post } = useFetchClient();
  return useMutation(async (name: string) => {
    const { data } = await post<{ data: ProviderTestResult }>(
      `/ai-assets/providers/${encodeURIComponent(name)}/test`
    );
    return data.data;
  });
};
