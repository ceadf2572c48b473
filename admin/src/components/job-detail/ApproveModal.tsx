import { Field, SingleSelectOption, Typography } from '@strapi/design-system';
import * as React from 'react';
import { useIntl } from 'react-intl';

import { useApproveJob } from '../../hooks/useApproveJob';
import type { JobDetail } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { TestIdSelect } from '../common/TestIdSelect';
import { JobActionModal, useJobActionOutcome } from './JobActionModal';

/** Approve & attach: to the rule's field by default, or to another media field of the entry. */
export const ApproveModal = ({ job, onClose }: { job: JobDetail; onClose: () => void }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const outcome = useJobActionOutcome(onClose);
  const approve = useApproveJob();
  const fields = job.entryMediaFields.length ? job.entryMediaFields : [job.targetField ?? ''];
  const [field, setField] = React.useState(job.targetField ?? fields[0]);

  const submit = () =>
    approve.mutate(
      { id: job.id, field: field && field !== job.targetField ? field : undefined },
      outcome.done('actions.approved', 'Approved and attached')
    );

  return (
    <JobActionModal
      title={t('actions.approve', 'Approve & attach')}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={t('actions.approve', 'Approve & attach')}
      submitTestId="approve-confirm"
      loading={approve.isLoading}
    >
      <Field.Root name="field" hint={t('approve.hint', 'The image replaces what this field holds now.')}>
        <Field.Label>{t('approve.field', 'Attach to field')}</Field.Label>
        <TestIdSelect testId="approve-field" value={field} onChange={(value) => setField(String(value))}>
          {fields.map((name) => (
            <SingleSelectOption key={name} value={name}>
              {name === job.targetField ? `${name} (${t('approve.rule-field', 'rule target')})` : name}
            </SingleSelectOption>
          ))}
        </TestIdSelect>
        <Field.Hint />
      </Field.Root>
      {job.review && (
        <Typography variant="pi" textColor="neutral600">
          {t('approve.republish', 'A published entry is published again so the site gets the image.')}
        </Typography>
      )}
    </JobActionModal>
  );
};
