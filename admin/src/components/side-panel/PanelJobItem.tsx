import { Button, Flex, Link, Typography } from '@strapi/design-system';
import { Check, Magic } from '@strapi/icons';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import { useApproveJob } from '../../hooks/useApproveJob';
import { IN_FLIGHT_STATUSES, type JobView } from '../../types';
import { jobPath } from '../../utils/entryLink';
import { formatRelative } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { JobThumbnail } from '../common/JobThumbnail';
import { LivePreview } from '../common/LivePreview';
import { StatusBadge } from '../common/StatusBadge';
import { RegenerateModal } from '../job-detail/RegenerateModal';
import { useFeedback } from '../common/useFeedback';

/** One job of this entry: thumbnail, status, and the quick actions an editor needs while writing. */
export const PanelJobItem = ({ job, canGenerate, canReview }: { job: JobView; canGenerate: boolean; canReview: boolean }) => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const feedback = useFeedback();
  const approve = useApproveJob();
  const [regenerating, setRegenerating] = React.useState(false);

  return (
    <Flex gap={3} alignItems="flex-start" data-testid={`panel-job-${job.id}`}>
      <JobThumbnail job={job} size={56} alt={t('panel.thumbnail-alt', 'Result of job {id}', { id: job.id })} />
      <Flex direction="column" alignItems="flex-start" gap={1} flex="1">
        <Flex gap={2} wrap="wrap">
          <StatusBadge status={job.status} jobId={job.id} />
          <Typography variant="pi" textColor="neutral600">{formatRelative(intl, job.createdAt)}</Typography>
        </Flex>
        <Link tag={NavLink} to={jobPath(job.id)}>
          {t('panel.job-link', '#{id} · {rule}', { id: job.id, rule: job.rule })}
        </Link>
        {job.status === 'running' && <LivePreview jobId={job.id} startedAt={job.startedAt} maxWidth="200px" />}
        {job.error && <Typography variant="pi" textColor="danger600">{job.error.message}</Typography>}
        <Flex gap={2} wrap="wrap">
          {canReview && job.status === 'awaiting_review' && (
            <Button
              size="S"
              startIcon={<Check />}
              loading={approve.isLoading}
              data-testid={`panel-attach-${job.id}`}
              onClick={() =>
                approve.mutate(
                  { id: job.id },
                  {
                    onSuccess: () =>
                      feedback.success('panel.attached', 'Attached to “{field}”.', {
                        field: job.targetField ?? '',
                      }),
                    onError: feedback.failure,
                  }
                )
              }
            >
              {t('panel.attach', 'Attach')}
            </Button>
          )}
          {canGenerate && !IN_FLIGHT_STATUSES.includes(job.status) && (
            <Button
              size="S"
              variant="tertiary"
              startIcon={<Magic />}
              data-testid={`panel-regenerate-${job.id}`}
              onClick={() => setRegenerating(true)}
            >
              {t('actions.regenerate', 'Regenerate')}
            </Button>
          )}
          {regenerating && <RegenerateModal job={job} stayOnPage onClose={() => setRegenerating(false)} />}
        </Flex>
      </Flex>
    </Flex>
  );
};
