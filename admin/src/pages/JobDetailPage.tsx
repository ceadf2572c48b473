import { Flex, Grid, Typography } from '@strapi/design-system';
import { BackButton, Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useParams } from 'react-router-dom';

import { StatusBadge } from '../components/common/StatusBadge';
import { Candidates } from '../components/job-detail/Candidates';
import { JobActions } from '../components/job-detail/JobActions';
import { JobAttempts } from '../components/job-detail/JobAttempts';
import { JobFacts } from '../components/job-detail/JobFacts';
import { JobLineage } from '../components/job-detail/JobLineage';
import { JobPreview } from '../components/job-detail/JobPreview';
import { JobPrompts } from '../components/job-detail/JobPrompts';
import { JobProvenance } from '../components/job-detail/JobProvenance';
import { JobRenditions } from '../components/job-detail/JobRenditions';
import { Section } from '../components/common/Section';
import { ImageHistory } from '../components/side-panel/ImageHistory';
import { useJob } from '../hooks/useJob';
import { IN_FLIGHT_STATUSES } from '../types';
import { getErrorMessage } from '../utils/errors';
import { getTranslation } from '../utils/getTranslation';

/** One job: what it asked, what came back, what went wrong, and what an editor can do with it. */
export const JobDetailPage = () => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const params = useParams<{ id: string }>();
  const id = Number(params.id);
  const job = useJob(Number.isInteger(id) ? id : null);

  if (job.isLoading) return <Page.Loading />;
  if (job.isError || !job.data) {
    return (
      <Page.Error
        data-testid="job-detail-error"
        content={getErrorMessage(job.error, t('detail.not-found', 'This job could not be loaded.'))}
      />
    );
  }

  const data = job.data;
  return (
    <Page.Main>
      <Page.Title>{t('detail.title', 'Job #{id}', { id: data.id })}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback="/plugins/ai-assets" />}
        title={t('detail.heading', 'Job #{id} · {title}', { id: data.id, title: data.entryTitle || data.documentId })}
        subtitle={
          <Flex gap={2} data-testid="job-detail-status">
            <StatusBadge status={data.status} jobId={data.id} />
            {IN_FLIGHT_STATUSES.includes(data.status) && (
              <Typography variant="pi" textColor="neutral600" aria-live="polite">
                {t('detail.live', 'Updates automatically while the job runs.')}
              </Typography>
            )}
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4} data-testid="job-detail">
          <JobActions job={data} />
          <Grid.Root gap={4}>
            <Grid.Item col={7} s={12} direction="column" alignItems="stretch" gap={4}>
              <JobPreview job={data} />
              <Candidates job={data} />
              <JobRenditions job={data} />
              <JobPrompts job={data} />
              <JobAttempts job={data} />
            </Grid.Item>
            <Grid.Item col={5} s={12} direction="column" alignItems="stretch" gap={4}>
              <JobFacts job={data} />
              <JobLineage job={data} />
              <JobProvenance job={data} />
              <Section title={t('history.title', 'Image history of this entry')} testId="job-image-history">
                <ImageHistory contentType={data.contentType} documentId={data.documentId} locale={data.locale ?? undefined} />
              </Section>
            </Grid.Item>
          </Grid.Root>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
