import { Box, Divider, Flex, Typography } from '@strapi/design-system';
import { useRBAC } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';

import { useJobs } from '../../hooks/useJobs';
import { PANEL_IDLE_REFRESH_MS } from '../../hooks/queryKeys';
import { useRules } from '../../hooks/useRules';
import { PERMISSIONS } from '../../permissions';
import type { DryRunResult } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { InlineError, InlineLoading } from '../common/States';
import { useRuleText } from '../common/useRuleText';
import { ImageHistory } from './ImageHistory';
import { PanelJobItem } from './PanelJobItem';
import { RuleRunner } from './RuleRunner';
import { useFormFollowsAttach } from './useFormFollowsAttach';

interface SidePanelContentProps {
  model: string;
  collectionType: string;
  documentId: string;
  /** The entry's updatedAt as the edit view holds it: a save or publish may have queued jobs. */
  savedAt?: string;
  locale?: string;
  ruleIds: string[];
}

const PANEL_PAGE_SIZE = 5;

/** This entry's jobs in the current locale (latest first) and its rules, runnable from here. */
export const SidePanelContent = ({ model, collectionType, documentId, savedAt, locale, ruleIds }: SidePanelContentProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const ruleText = useRuleText();
  const { allowedActions } = useRBAC(PERMISSIONS.actions);
  // The slow idle poll lets the form follow attaches of jobs queued elsewhere (another tab, an API publish).
  const jobs = useJobs({ contentType: model, documentId, locale, page: 1, pageSize: PANEL_PAGE_SIZE }, { idleRefreshMs: PANEL_IDLE_REFRESH_MS });
  const rules = useRules(model);
  useFormFollowsAttach({ model, collectionType, documentId, jobs: jobs.data?.results });
  const refetchJobs = jobs.refetch;
  React.useEffect(() => {
    if (savedAt) void refetchJobs();
  }, [savedAt, refetchJobs]);
  const [preview, setPreview] = React.useState<{ ruleId: string; result: DryRunResult } | null>(null);
  const canGenerate = Boolean(allowedActions.canGenerate);
  const canReview = Boolean(allowedActions.canReview);

  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%" data-testid="ai-assets-side-panel">
      {jobs.isLoading ? (
        <InlineLoading />
      ) : jobs.isError ? (
        <InlineError error={jobs.error} testId="panel-jobs-error" />
      ) : !jobs.data?.results.length ? (
        <Typography variant="pi" textColor="neutral600" data-testid="panel-jobs-empty">
          {t('panel.no-jobs', 'No image jobs for this entry in this locale yet.')}
        </Typography>
      ) : (
        jobs.data.results.map((job) => (
          <PanelJobItem key={job.id} job={job} canGenerate={canGenerate} canReview={canReview} />
        ))
      )}
      <Divider />
      <ImageHistory contentType={model} documentId={documentId} locale={locale} />
      {canGenerate && (
        <>
          <Divider />
          <Typography variant="sigma" textColor="neutral600">{t('panel.rules', 'Rules')}</Typography>
          {rules.isError && <InlineError error={rules.error} testId="panel-rules-error" />}
          {ruleIds.map((ruleId) => {
            const rule = rules.data?.find((candidate) => candidate.id === ruleId);
            return (
              <RuleRunner
                key={ruleId}
                ruleId={ruleId}
                description={rule ? ruleText(rule) : ''}
                documentId={documentId}
                locale={locale}
                onPreview={setPreview}
              />
            );
          })}
          {preview && (
            <Box padding={3} background="primary100" hasRadius data-testid="preview-prompt-output" data-rule={preview.ruleId} aria-live="polite">
              <Typography variant="sigma" tag="p">
                {formatMessage(
                  { id: getTranslation('panel.preview-title'), defaultMessage: 'Prompt for {rule}' },
                  { rule: preview.ruleId }
                )}
              </Typography>
              <Typography tag="p" style={{ whiteSpace: 'pre-wrap' }} data-testid="preview-prompt-text">
                {preview.result.prompt}
              </Typography>
              {preview.result.duplicateOf !== null && (
                <Typography variant="pi" textColor="neutral600" tag="p">
                  {formatMessage(
                    { id: getTranslation('panel.preview-duplicate'), defaultMessage: 'Same inputs as job #{id}: generating again would reuse it.' },
                    { id: preview.result.duplicateOf }
                  )}
                </Typography>
              )}
            </Box>
          )}
        </>
      )}
    </Flex>
  );
};
