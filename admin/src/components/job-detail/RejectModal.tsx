import { Button, Field, Modal, Textarea } from '@strapi/design-system';
import * as React from 'react';
import { useIntl } from 'react-intl';

import { useRejectJob } from '../../hooks/useRejectJob';
import type { JobView } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { useFeedback } from '../common/useFeedback';

/** Reject with an optional reason, kept on the job for whoever regenerates next. */
export const RejectModal = ({ job, open, onClose }: { job: JobView; open: boolean; onClose: () => void }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const feedback = useFeedback();
  const reject = useRejectJob();
  const [reason, setReason] = React.useState('');

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    reject.mutate(
      { id: job.id, reason: reason.trim() || undefined },
      {
        onSuccess: () => {
          feedback.success('actions.rejected', 'Rejected');
          onClose();
        },
        onError: feedback.failure,
      }
    );
  };

  return (
    <Modal.Root open={open} onOpenChange={(isOpen) => !isOpen && onClose()}>
      <Modal.Content>
        <form onSubmit={submit}>
          <Modal.Header>
            <Modal.Title>{t('actions.reject', 'Reject')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Field.Root name="reason">
              <Field.Label>{t('reject.reason', 'Reason (optional)')}</Field.Label>
              <Textarea data-testid="reject-reason" value={reason} onChange={(event) => setReason(event.target.value)} />
            </Field.Root>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{t('actions.close', 'Cancel')}</Button>
            </Modal.Close>
            <Button type="submit" variant="danger" loading={reject.isLoading} data-testid="reject-confirm">
              {t('actions.reject', 'Reject')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
