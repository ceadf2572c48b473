import { Button, Flex, Typography } from '@strapi/design-system';
import { Check, Cross } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { useBulkReview } from '../../hooks/useBulkReview';
import { getErrorMessage } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';

/** Approve or reject every selected job awaiting review; reports partial failures by id. */
export const BulkActions = ({ selectedIds, onDone }: { selectedIds: number[]; onDone: () => void }) => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const bulkReview = useBulkReview();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  const run = (action: 'approve' | 'reject') =>
    bulkReview.mutate(
      { action, ids: selectedIds },
      {
        onSuccess: ({ succeeded, failed }) => {
          toggleNotification({
            type: failed.length ? 'warning' : 'success',
            message: failed.length
              ? t('bulk.partial', '{done} done, {failed} not possible: {reasons}', {
                  done: succeeded.length,
                  failed: failed.length,
                  reasons: failed.map(({ id, reason }) => `#${id} ${reason}`).join('; '),
                })
              : t('bulk.done', '{done} jobs updated', { done: succeeded.length }),
          });
          onDone();
        },
        onError: (error) =>
          toggleNotification({ type: 'danger', message: getErrorMessage(error, t('state.error', 'Something went wrong.')) }),
      }
    );

  if (selectedIds.length === 0) return null;
  return (
    <Flex gap={2} data-testid="bulk-actions">
      <Typography variant="epsilon" textColor="neutral600">
        {t('bulk.selected', '{count, plural, one {# job selected} other {# jobs selected}}', { count: selectedIds.length })}
      </Typography>
      <Button
        size="S"
        startIcon={<Check />}
        onClick={() => run('approve')}
        loading={bulkReview.isLoading && bulkReview.variables?.action === 'approve'}
        disabled={bulkReview.isLoading}
        data-testid="bulk-approve"
      >
        {t('bulk.approve', 'Approve & attach')}
      </Button>
      <Button
        size="S"
        variant="danger-light"
        startIcon={<Cross />}
        onClick={() => run('reject')}
        loading={bulkReview.isLoading && bulkReview.variables?.action === 'reject'}
        disabled={bulkReview.isLoading}
        data-testid="bulk-reject"
      >
        {t('bulk.reject', 'Reject')}
      </Button>
    </Flex>
  );
};
