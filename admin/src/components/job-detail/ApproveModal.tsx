import { Button, Field, Modal, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import * as React from 'react';
import { useIntl } from 'react-intl';

import { useApproveJob } from '../../hooks/useApproveJob';
import type { JobDetail } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { useFeedback } from '../common/useFeedback';

/** Approve & attach: to the rule's field by default, or to another media field of the entry. */
export const ApproveModal = ({ job, open, onClose }: { job: JobDetail; open: boolean; onClose: () => void }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const feedback = useFeedback();
  const approve = useApproveJob();
  const fields = job.entryMediaFields.length ? job.entryMediaFields : [job.targetField ?? ''];
  const [field, setField] = React.useState(job.targetField ?? fields[0]);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    approve.mutate(
      { id: job.id, field: field && field !== job.targetField ? field : undefined },
      {
        onSuccess: () => {
          feedback.success('actions.approved', 'Approved and attached');
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
            <Modal.Title>{t('actions.approve', 'Approve & attach')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Field.Root name="field" hint={t('approve.hint', 'The image replaces what this field holds now.')}>
              <Field.Label>{t('approve.field', 'Attach to field')}</Field.Label>
              <SingleSelect data-testid="approve-field" value={field} onChange={(value) => setField(String(value))}>
                {fields.map((name) => (
                  <SingleSelectOption key={name} value={name}>
                    {name === job.targetField ? `${name} (${t('approve.rule-field', 'rule target')})` : name}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
            </Field.Root>
            {job.review && (
              <Typography variant="pi" textColor="neutral600">
                {t('approve.republish', 'A published entry is published again so the site gets the image.')}
              </Typography>
            )}
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{t('actions.close', 'Cancel')}</Button>
            </Modal.Close>
            <Button type="submit" loading={approve.isLoading} data-testid="approve-confirm">
              {t('actions.approve', 'Approve & attach')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
