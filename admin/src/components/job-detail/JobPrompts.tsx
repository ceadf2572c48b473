import { Box, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { JobDetail } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { JsonBlock, Section } from '../common/Section';

const Text = ({ children, testId }: { children: string; testId: string }) => (
  <Box background="neutral100" padding={3} hasRadius data-testid={testId}>
    <Typography style={{ whiteSpace: 'pre-wrap' }}>{children}</Typography>
  </Box>
);

/** What was asked of the provider: rendered prompt, the provider's revision, params and output spec. */
export const JobPrompts = ({ job }: { job: JobDetail }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  return (
    <Section title={t('detail.request', 'Request')} testId="job-request">
      <Typography variant="sigma" tag="h3">{t('detail.prompt', 'Rendered prompt')}</Typography>
      <Text testId="job-prompt">{job.prompt}</Text>
      {job.revisedPrompt && (
        <>
          <Typography variant="sigma" tag="h3">{t('detail.revised-prompt', 'Revised prompt (from the provider)')}</Typography>
          <Text testId="job-revised-prompt">{job.revisedPrompt}</Text>
        </>
      )}
      <Typography variant="sigma" tag="h3">{t('detail.params', 'Parameters')}</Typography>
      <JsonBlock value={job.params} label={t('detail.params', 'Parameters')} testId="job-params" />
      <Typography variant="sigma" tag="h3">{t('detail.output', 'Output spec')}</Typography>
      <JsonBlock value={job.output} label={t('detail.output', 'Output spec')} testId="job-output" />
    </Section>
  );
};
