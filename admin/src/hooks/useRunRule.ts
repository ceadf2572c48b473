import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation } from 'react-query';

import type { DryRunResult, RunRuleResult } from '../types';
import { useInvalidateJobs } from './useInvalidateJobs';

export interface RunRuleVariables {
  ruleId: string;
  documentId: string;
  locale?: string;
  dryRun?: boolean;
  force?: boolean;
}

export const isDryRun = (result: RunRuleResult | DryRunResult): result is DryRunResult =>
  'dryRun' in result && result.dryRun === true;

/** POST /ai-assets/rules/:ruleId/run: enqueue a job for one entry, or with `dryRun` only render the prompt. */
export const useRunRule = () => {
  const { post } = useFetchClient();
  const invalidateJobs = useInvalidateJobs();
  return useMutation(
    async ({ ruleId, ...body }: RunRuleVariables) => {
      const { data } = await post<{ data: RunRuleResult | DryRunResult }>(
        `/ai-assets/rules/${encodeURIComponent(ruleId)}/run`,
        body
      );
      return data.data;
    },
    {
      onSuccess: (result) => {
        if (!isDryRun(result)) void invalidateJobs();
      },
    }
  );
};
