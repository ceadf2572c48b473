import { Box, Flex, Grid, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { JobDetail } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { mediaUrl } from '../../utils/mediaUrl';
import { Section } from '../common/Section';

/** Every named rendition the job made from its one provider image, with where each went. */
export const JobRenditions = ({ job }: { job: JobDetail }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const renditions = job.result?.renditions;
  if (!renditions?.length) return null;

  return (
    <Section title={t('renditions.title', 'Renditions ({count})', { count: renditions.length })} testId="job-renditions">
      <Grid.Root gap={4}>
        {renditions.map((rendition) => (
          <Grid.Item key={rendition.name} col={4} s={6} xs={12} direction="column" alignItems="stretch">
            <Flex direction="column" alignItems="stretch" gap={1} data-testid={`rendition-${rendition.name}`}>
              <Box background="neutral100" hasRadius overflow="hidden">
                <Box tag="img" src={mediaUrl(rendition.url)} alt={rendition.name} width="100%" display="block" loading="lazy" />
              </Box>
              <Typography variant="omega" fontWeight="bold">{rendition.name}</Typography>
              <Typography variant="pi" textColor="neutral600">
                {t('renditions.facts', '{width} × {height} px · {format} · {kilobytes} kB', {
                  width: rendition.width,
                  height: rendition.height,
                  format: rendition.mime.replace('image/', ''),
                  kilobytes: Math.round(rendition.size / 100) / 10,
                })}
              </Typography>
              <Typography variant="pi" textColor="neutral600">
                {rendition.target
                  ? t('renditions.target', 'Field “{field}”', { field: rendition.target })
                  : t('renditions.library-only', 'Media Library only')}
              </Typography>
            </Flex>
          </Grid.Item>
        ))}
      </Grid.Root>
    </Section>
  );
};
