import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';

import type { BudgetRow } from '../types';
import { queryKeys } from './queryKeys';

/** GET /ai-assets/budgets: each configured cap with today's / this month's spend. */
export const useBudgets = () => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.budgets(),
    async () => {
      const { data } = await get<{ data: BudgetRow[] }>('/ai-assets/budgets');
      return data.data;
    },
    { retry: false }
  );
};
