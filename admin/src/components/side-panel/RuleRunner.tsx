import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { Eye, Magic } from '@strapi/icons';
import { useIntl } from 'react-intl';

import { isDryRun, useRunRule } from '../../hooks/useRunRule';
import type { DryRunResult } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { useFeedback } from '../common/useFeedback';

interface RuleRunnerProps {
  ruleId: string;
  description: string;
  documentId: string;
  locale?: string;
  onPreview: (preview: { ruleId: string; result: DryRunResult }) => void;
}

/** One rule of this content type: run it now for this entry, or only render its prompt. */
export const RuleRunner = ({ ruleId, description, documentId, locale, onPreview }: RuleRunnerProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const feedback = useFeedback();
  const run = useRunRule();
  const running = run.isLoading && !run.variables?.dryRun;
  const previewing = run.isLoading && Boolean(run.variables?.dryRun);

  const generate = () =>
    run.mutate(
      { ruleId, documentId, locale },
      {
        onSuccess: (result) => {
          if (isDryRun(result)) return;
          if (result.deduplicated) {
            feedback.info('panel.deduplicated', 'Same inputs as job #{id}: no new job was needed.', { id: result.jobId });
          } else {
            feedback.success('panel.queued', 'Job #{id} queued', { id: result.jobId });
          }
        },
        onError: feedback.failure,
      }
    );

  const preview = () =>
    run.mutate(
      { ruleId, documentId, locale, dryRun: true },
      {
        onSuccess: (result) => {
          if (isDryRun(result)) onPreview({ ruleId, result });
        },
        onError: feedback.failure,
      }
    );

  return (
    <Box padding={3} background="neutral100" hasRadius data-testid={`panel-rule-${ruleId}`}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Typography variant="omega" fontWeight="bold">{ruleId}</Typography>
        <Typography variant="pi" textColor="neutral600">{description}</Typography>
        <Flex gap={2} wrap="wrap">
          <Button size="S" startIcon={<Magic />} loading={running} disabled={run.isLoading} onClick={generate} data-testid={`panel-generate-${ruleId}`}>
            {t('panel.generate', 'Generate now')}
          </Button>
          <Button size="S" variant="tertiary" startIcon={<Eye />} loading={previewing} disabled={run.isLoading} onClick={preview} data-testid={`panel-preview-${ruleId}`}>
            {t('panel.preview', 'Preview prompt')}
          </Button>
        </Flex>
      </Flex>
    </Box>
  );
};
