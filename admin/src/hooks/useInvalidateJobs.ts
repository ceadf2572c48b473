import { useQueryClient } from 'react-query';

import { queryKeys } from './queryKeys';

/** After any job mutation: lists, details and stats may all have changed. */
export const useInvalidateJobs = () => {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries(queryKeys.jobs()),
      queryClient.invalidateQueries(queryKeys.stats()),
    ]);
};
