import { Button, Flex } from '@strapi/design-system';
import { ArrowClockwise, Check, Cross, Magic, PaintBrush, Stop } from '@strapi/icons';
import { useRBAC } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';

import { useCancelJob } from '../../hooks/useCancelJob';
import { useRetryJob } from '../../hooks/useRetryJob';
import { PERMISSIONS } from '../../permissions';
import { IN_FLIGHT_STATUSES, type JobDetail } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { useFeedback } from '../common/useFeedback';
import { ApproveModal } from './ApproveModal';
import { EditModal } from './EditModal';
import { RegenerateModal } from './RegenerateModal';
import { RejectModal } from './RejectModal';

type OpenModal = 'approve' | 'reject' | 'regenerate' | 'edit' | null;

/** The actions this job allows now, each shown only to editors holding its permission. */
export const JobActions = ({ job }: { job: JobDetail }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const { allowedActions, isLoading } = useRBAC(PERMISSIONS.actions);
  const feedback = useFeedback();
  const cancel = useCancelJob();
  const retry = useRetryJob();
  const [openModal, setOpenModal] = React.useState<OpenModal>(null);
  const close = () => setOpenModal(null);

  if (isLoading) return null;
  const canReview = Boolean(allowedActions.canReview);
  const canGenerate = Boolean(allowedActions.canGenerate);
  const awaitingReview = job.status === 'awaiting_review';
  const inFlight = IN_FLIGHT_STATUSES.includes(job.status);

  return (
    <Flex gap={2} wrap="wrap" data-testid="job-actions">
      {canReview && awaitingReview && (
        <Button startIcon={<Check />} onClick={() => setOpenModal('approve')} data-testid="action-approve">
          {t('actions.approve', 'Approve & attach')}
        </Button>
      )}
      {canReview && awaitingReview && (
        <Button variant="danger-light" startIcon={<Cross />} onClick={() => setOpenModal('reject')} data-testid="action-reject">
          {t('actions.reject', 'Reject')}
        </Button>
      )}
      {canGenerate && !inFlight && (
        <Button variant="secondary" startIcon={<Magic />} onClick={() => setOpenModal('regenerate')} data-testid="action-regenerate">
          {t('actions.regenerate', 'Regenerate')}
        </Button>
      )}
      {canGenerate && !inFlight && (job.result || job.sourceFile) && (
        <Button variant="secondary" startIcon={<PaintBrush />} onClick={() => setOpenModal('edit')} data-testid="action-edit">
          {t('actions.edit', 'Edit image')}
        </Button>
      )}
      {canGenerate && (job.status === 'failed' || job.status === 'canceled') && (
        <Button
          variant="secondary"
          startIcon={<ArrowClockwise />}
          loading={retry.isLoading}
          onClick={() =>
            retry.mutate(job.id, { onSuccess: () => feedback.success('actions.retried', 'Back in the queue'), onError: feedback.failure })
          }
          data-testid="action-retry"
        >
          {t('actions.retry', 'Retry')}
        </Button>
      )}
      {canGenerate && inFlight && (
        <Button
          variant="danger-light"
          startIcon={<Stop />}
          loading={cancel.isLoading}
          onClick={() =>
            cancel.mutate(job.id, { onSuccess: () => feedback.success('actions.canceled', 'Canceled'), onError: feedback.failure })
          }
          data-testid="action-cancel"
        >
          {t('actions.cancel', 'Cancel job')}
        </Button>
      )}
      {openModal === 'approve' && <ApproveModal job={job} onClose={close} />}
      {openModal === 'reject' && <RejectModal job={job} onClose={close} />}
      {openModal === 'regenerate' && <RegenerateModal job={job} onClose={close} />}
      {openModal === 'edit' && <EditModal job={job} onClose={close} />}
    </Flex>
  );
};
