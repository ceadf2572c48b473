import { Status, Typography, type StatusVariant } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { JobStatus } from '../../types';
import { getTranslation } from '../../utils/getTranslation';

const VARIANTS: Record<JobStatus, StatusVariant> = {
  queued: 'neutral',
  running: 'secondary',
  awaiting_review: 'warning',
  succeeded: 'success',
  approved: 'success',
  rejected: 'danger',
  failed: 'danger',
  canceled: 'neutral',
};

export const useStatusLabel = () => {
  const { formatMessage } = useIntl();
  return (status: JobStatus) =>
    formatMessage({ id: getTranslation(`status.${status}`), defaultMessage: status.replace('_', ' ') });
};

export const StatusBadge = ({ status, jobId }: { status: JobStatus; jobId?: number }) => {
  const label = useStatusLabel();
  return (
    <Status
      variant={VARIANTS[status] ?? 'neutral'}
      size="S"
      data-testid={jobId === undefined ? 'status-badge' : `status-badge-${jobId}`}
      data-status={status}
    >
      <Typography tag="span" variant="omega" fontWeight="bold">
        {label(status)}
      </Typography>
    </Status>
  );
};
