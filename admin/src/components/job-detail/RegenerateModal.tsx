import { Button, Field, Flex, Modal, Textarea } from '@strapi/design-system';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';

import { useRegenerateJob } from '../../hooks/useRegenerateJob';
import type { JobView } from '../../types';
import { jobPath } from '../../utils/entryLink';
import { getTranslation } from '../../utils/getTranslation';
import { useFeedback } from '../common/useFeedback';

/** Parses the params editor; an error message (translation id) when it is not a JSON object. */
const parseParams = (text: string): { params?: Record<string, unknown>; error?: string } => {
  if (!text.trim()) return { params: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { params: value as Record<string, unknown> };
    return { error: 'regenerate.params-object' };
  } catch {
    return { error: 'regenerate.params-json' };
  }
};

/** Regenerate with the prompt and params editable first; opens the new child job. */
export const RegenerateModal = ({ job, open, onClose }: { job: JobView; open: boolean; onClose: () => void }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const navigate = useNavigate();
  const feedback = useFeedback();
  const regenerate = useRegenerateJob();
  const [prompt, setPrompt] = React.useState(job.prompt);
  const [paramsText, setParamsText] = React.useState(JSON.stringify(job.params ?? {}, null, 2));
  const parsed = parseParams(paramsText);
  const paramsError =
    parsed.error === 'regenerate.params-object'
      ? t('regenerate.params-object', 'Parameters must be a JSON object (names and values).')
      : parsed.error
        ? t('regenerate.params-json', 'This is not valid JSON.')
        : undefined;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (parsed.error || !prompt.trim()) return;
    regenerate.mutate(
      { id: job.id, prompt: prompt.trim(), params: parsed.params },
      {
        onSuccess: ({ jobId }) => {
          feedback.success('actions.regenerate-queued', 'Regeneration queued as job #{id}', { id: jobId });
          onClose();
          navigate(jobPath(jobId));
        },
        onError: feedback.failure,
      }
    );
  };

  return (
    <Modal.Root open={open} onOpenChange={(isOpen) => !isOpen && onClose()}>
      <Modal.Content>
        <form onSubmit={submit} data-testid="regenerate-form">
          <Modal.Header>
            <Modal.Title>{t('actions.regenerate', 'Regenerate')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Field.Root name="prompt" required>
                <Field.Label>{t('regenerate.prompt', 'Prompt')}</Field.Label>
                <Textarea data-testid="regenerate-prompt" value={prompt} onChange={(event) => setPrompt(event.target.value)} />
              </Field.Root>
              <Field.Root
                name="params"
                error={paramsError}
                hint={t('regenerate.params-hint', 'Provider parameters as JSON (size, quality, background…).')}
              >
                <Field.Label>{t('regenerate.params', 'Parameters (JSON)')}</Field.Label>
                <Textarea
                  data-testid="regenerate-params"
                  value={paramsText}
                  onChange={(event) => setParamsText(event.target.value)}
                  style={{ fontFamily: 'monospace' }}
                />
                <Field.Error />
                <Field.Hint />
              </Field.Root>
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{t('actions.close', 'Cancel')}</Button>
            </Modal.Close>
            <Button
              type="submit"
              loading={regenerate.isLoading}
              disabled={Boolean(parsed.error) || !prompt.trim()}
              data-testid="regenerate-confirm"
            >
              {t('regenerate.submit', 'Queue a new job')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
