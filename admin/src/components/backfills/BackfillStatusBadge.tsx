import { Status, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { BackfillStatus } from '../../types';
import { getTranslation } from '../../utils/getTranslation';

const VARIANTS: Record<BackfillStatus, 'secondary' | 'primary' | 'success' | 'warning' | 'neutral' | 'danger'> = {
  estimating: 'secondary',
  ready: 'primary',
  running: 'primary',
  paused: 'warning',
  done: 'success',
  canceled: 'neutral',
};

const LABELS: Record<BackfillStatus, string> = {
  estimating: 'Estimating',
  ready: 'Ready to start',
  running: 'Running',
  paused: 'Paused',
  done: 'Done',
  canceled: 'Canceled',
};

export const BackfillStatusBadge = ({ status, backfillId }: { status: BackfillStatus; backfillId: number }) => {
  const { formatMessage } = useIntl();
  return (
    <Status variant={VARIANTS[status]} size="S" data-testid={`backfill-status-${backfillId}`} data-status={status}>
      <Typography variant="omega" fontWeight="bold">
        {formatMessage({ id: getTranslation(`backfills.status.${status}`), defaultMessage: LABELS[status] })}
      </Typography>
    </Status>
  );
};
