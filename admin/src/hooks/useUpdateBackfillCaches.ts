import { useQueryClient } from 'react-query';

import type { BackfillView } from '../types';
import { queryKeys } from './queryKeys';

/**
 * After a backfill mutation: its answer is the backfill's new state, written into the detail and list caches as is.
 * Not an invalidation: a refetch started here is aborted when the page navigates away right after (Start opens the
 * progress view), and the admin's fetch client logs that abort as an error.
 */
export const useUpdateBackfillCaches = () => {
  const queryClient = useQueryClient();
  return (backfill: BackfillView) => {
    queryClient.setQueryData(queryKeys.backfill(backfill.id), backfill);
    queryClient.setQueryData<BackfillView[] | undefined>(queryKeys.backfills(), (list) =>
      list === undefined
        ? list
        : list.some((item) => item.id === backfill.id)
          ? list.map((item) => (item.id === backfill.id ? backfill : item))
          : [backfill, ...list]
    );
  };
};
