import { Field, Textarea } from '@strapi/design-system';
import * as React from 'react';
import { useIntl } from 'react-intl';

import { useRejectJob } from '../../hooks/useRejectJob';
import type { JobView } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { JobActionModal, useJobActionOutcome } from './JobActionModal';

/** Reject with an optional reason, kept on the job for whoever regenerates next. */
export const RejectModal = ({ job, onClose }: { job: JobView; onClose: () => void }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const outcome = useJobActionOutcome(onClose);
  const reject = useRejectJob();
  const [reason, setReason] = React.useState('');

  const submit = () => reject.mutate({ id: job.id, reason: reason.trim() || undefined }, outcome.done('actions.rejected', 'Rejected'));

  return (
    <JobActionModal
      title={t('actions.reject', 'Reject')}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={t('actions.reject', 'Reject')}
      submitTestId="reject-confirm"
      loading={reject.isLoading}
      danger
    >
      <Field.Root name="reason">
        <Field.Label>{t('reject.reason', 'Reason (optional)')}</Field.Label>
        <Textarea data-testid="reject-reason" value={reason} onChange={(event) => setReason(event.target.value)} />
      </Field.Root>
    </JobActionModal>
  );
};
