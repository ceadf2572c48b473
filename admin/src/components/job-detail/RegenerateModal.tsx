import { Field, Flex, Textarea } from '@strapi/design-system';
import * as React from 'react';
import { useIntl } from 'react-intl';

import { useRegenerateJob } from '../../hooks/useRegenerateJob';
import type { JobView } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { JobActionModal, useJobActionOutcome } from './JobActionModal';

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

interface RegenerateModalProps {
  job: JobView;
  onClose: () => void;
  /** Where the new job is announced; by default its page opens (the side panel stays in the edit view instead). */
  stayOnPage?: boolean;
}

/** Regenerate with the prompt and params editable first; opens the new child job unless `stayOnPage`. */
export const RegenerateModal = ({ job, onClose, stayOnPage = false }: RegenerateModalProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const outcome = useJobActionOutcome(onClose);
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

  const submit = () =>
    regenerate.mutate(
      { id: job.id, prompt: prompt.trim(), params: parsed.params },
      stayOnPage
        ? outcome.announceChild('actions.regenerate-queued', 'Regeneration queued as job #{id}')
        : outcome.openChild('actions.regenerate-queued', 'Regeneration queued as job #{id}')
    );

  return (
    <JobActionModal
      title={t('actions.regenerate', 'Regenerate')}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={t('regenerate.submit', 'Queue a new job')}
      submitTestId="regenerate-confirm"
      formTestId="regenerate-form"
      loading={regenerate.isLoading}
      disabled={Boolean(parsed.error) || !prompt.trim()}
    >
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
    </JobActionModal>
  );
};
