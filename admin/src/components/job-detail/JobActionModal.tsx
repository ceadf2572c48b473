import { Button, Modal } from '@strapi/design-system';
import type * as React from 'react';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';

import type { JobAccepted } from '../../types';
import { jobPath } from '../../utils/entryLink';
import { getTranslation } from '../../utils/getTranslation';
import { useFeedback } from '../common/useFeedback';

interface JobActionModalProps {
  title: string;
  onClose: () => void;
  /** Called on submit (Enter or the confirm button) unless `disabled`. */
  onSubmit: () => void;
  submitLabel: string;
  submitTestId: string;
  loading: boolean;
  disabled?: boolean;
  danger?: boolean;
  formTestId?: string;
  children: React.ReactNode;
}

/** The frame every job action asks in: a form in a modal with Cancel and one confirm button. */
export const JobActionModal = ({
  title,
  onClose,
  onSubmit,
  submitLabel,
  submitTestId,
  loading,
  disabled = false,
  danger = false,
  formTestId,
  children,
}: JobActionModalProps) => {
  const { formatMessage } = useIntl();
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!disabled) onSubmit();
  };
  return (
    <Modal.Root open onOpenChange={(isOpen) => !isOpen && onClose()}>
      <Modal.Content>
        <form onSubmit={submit} data-testid={formTestId}>
          <Modal.Header>
            <Modal.Title>{title}</Modal.Title>
          </Modal.Header>
          <Modal.Body>{children}</Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{formatMessage({ id: getTranslation('actions.close'), defaultMessage: 'Cancel' })}</Button>
            </Modal.Close>
            <Button type="submit" variant={danger ? 'danger' : 'default'} loading={loading} disabled={disabled} data-testid={submitTestId}>
              {submitLabel}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};

/**
 * Mutation callbacks of a job action modal: a toast, then the modal closes; for actions that queue a child job
 * (regenerate, edit) the child job opens as well. Failures show the server's reason and keep the modal open.
 */
export const useJobActionOutcome = (onClose: () => void) => {
  const feedback = useFeedback();
  const navigate = useNavigate();
  return {
    done: (messageId: string, defaultMessage: string) => ({
      onSuccess: () => {
        feedback.success(messageId, defaultMessage);
        onClose();
      },
      onError: feedback.failure,
    }),
    openChild: (messageId: string, defaultMessage: string) => ({
      onSuccess: ({ jobId }: JobAccepted) => {
        feedback.success(messageId, defaultMessage, { id: jobId });
        onClose();
        navigate(jobPath(jobId));
      },
      onError: feedback.failure,
    }),
    /** Like openChild, for pages the editor should not leave (the edit view's side panel). */
    announceChild: (messageId: string, defaultMessage: string) => ({
      onSuccess: ({ jobId }: JobAccepted) => {
        feedback.success(messageId, defaultMessage, { id: jobId });
        onClose();
      },
      onError: feedback.failure,
    }),
  };
};
