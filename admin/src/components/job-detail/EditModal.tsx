import { Field, Flex, Radio, Textarea, Typography } from '@strapi/design-system';
import * as React from 'react';
import { useIntl } from 'react-intl';

import { useEditJob } from '../../hooks/useEditJob';
import type { JobDetail } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { mediaUrl } from '../../utils/mediaUrl';
import { JobActionModal, useJobActionOutcome } from './JobActionModal';
import { MaskCanvas, type MaskCanvasHandle } from './MaskCanvas';

type Source = 'result' | 'entry';

/** Edit an image with an instruction, optionally only inside a painted mask; opens the new child job. */
export const EditModal = ({ job, onClose }: { job: JobDetail; onClose: () => void }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const outcome = useJobActionOutcome(onClose);
  const edit = useEditJob();
  const maskRef = React.useRef<MaskCanvasHandle>(null);
  const [prompt, setPrompt] = React.useState('');
  const [source, setSource] = React.useState<Source>(job.result ? 'result' : 'entry');
  // The entry's image is only known to the admin as this job's source file.
  const previewUrl = mediaUrl(source === 'result' ? job.result?.url : job.sourceFile?.url);

  const submit = () =>
    edit.mutate(
      { id: job.id, prompt: prompt.trim(), source, mask: maskRef.current?.toMaskDataUrl() },
      outcome.openChild('actions.edit-queued', 'Edit queued as job #{id}')
    );

  return (
    <JobActionModal
      title={t('actions.edit', 'Edit image')}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={t('edit.submit', 'Queue the edit')}
      submitTestId="edit-confirm"
      formTestId="edit-form"
      loading={edit.isLoading}
      disabled={!prompt.trim()}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Field.Root name="prompt" required hint={t('edit.prompt-hint', 'For example: "replace the sky with a sunset".')}>
          <Field.Label>{t('edit.prompt', 'What should change?')}</Field.Label>
          <Textarea data-testid="edit-prompt" value={prompt} onChange={(event) => setPrompt(event.target.value)} />
          <Field.Hint />
        </Field.Root>
        <Field.Root name="source">
          <Field.Label>{t('edit.source', 'Image to edit')}</Field.Label>
          <Radio.Group
            value={source}
            onValueChange={(value) => setSource(value as Source)}
            aria-label={t('edit.source', 'Image to edit')}
            data-testid="edit-source"
          >
            <Radio.Item value="result" disabled={!job.result}>
              {t('edit.source.result', 'This result')}
            </Radio.Item>
            <Radio.Item value="entry">{t('edit.source.entry', "The entry's current image")}</Radio.Item>
          </Radio.Group>
        </Field.Root>
        {previewUrl ? (
          <MaskCanvas key={previewUrl} ref={maskRef} imageUrl={previewUrl} label={t('edit.mask-image', 'Image to mask')} />
        ) : (
          <Typography variant="pi" textColor="neutral600" data-testid="mask-unavailable">
            {t('edit.no-preview', 'No preview of this image here: the edit applies to the whole image.')}
          </Typography>
        )}
      </Flex>
    </JobActionModal>
  );
};
