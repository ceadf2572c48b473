import { Box, Flex, Link, Typography } from '@strapi/design-system';
import { ExternalLink } from '@strapi/icons';
import { useIntl } from 'react-intl';

import type { JobDetail } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { mediaUrl } from '../../utils/mediaUrl';
import { LivePreview } from '../common/LivePreview';
import { Section } from '../common/Section';

const Figure = ({ src, caption, testId }: { src: string; caption: string; testId: string }) => (
  <Flex tag="figure" direction="column" alignItems="stretch" gap={2} flex="1" margin={0}>
    <Box background="neutral100" hasRadius overflow="hidden">
      <Box tag="img" src={src} alt={caption} width="100%" display="block" data-testid={testId} />
    </Box>
    <Typography tag="figcaption" variant="pi" textColor="neutral600">
      {caption}
    </Typography>
  </Flex>
);

/** Full-size result; for edits, the source image next to it so the change is visible. */
export const JobPreview = ({ job }: { job: JobDetail }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const resultUrl = mediaUrl(job.result?.url);
  const sourceUrl = job.operation === 'edit' ? mediaUrl(job.sourceFile?.url) : undefined;

  return (
    <Section title={t('detail.preview', 'Preview')} testId="job-preview">
      {!resultUrl && job.status === 'running' ? (
        <LivePreview jobId={job.id} startedAt={job.startedAt} maxWidth="512px" />
      ) : !resultUrl ? (
        <Typography textColor="neutral600" data-testid="job-preview-empty">
          {t('detail.no-result', 'No image yet.')}
        </Typography>
      ) : (
        <>
          <Flex gap={4} alignItems="flex-start" data-testid={sourceUrl ? 'job-before-after' : undefined}>
            {sourceUrl && <Figure src={sourceUrl} caption={t('detail.before', 'Before (source)')} testId="job-before-image" />}
            <Figure
              src={resultUrl}
              caption={
                sourceUrl
                  ? t('detail.after', 'After (result)')
                  : t('detail.result-size', '{width} × {height} px', {
                      width: job.result?.width ?? '?',
                      height: job.result?.height ?? '?',
                    })
              }
              testId="job-result-image"
            />
          </Flex>
          <Link href={resultUrl} isExternal endIcon={<ExternalLink />}>
            {t('detail.open-original', 'Open the original in a new tab')}
          </Link>
        </>
      )}
    </Section>
  );
};
