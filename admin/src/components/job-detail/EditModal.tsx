import { Button, Field, Flex, Modal, Radio, Textarea, Typography } from '@strapi/design-system';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';

import { useEditJob } from '../../hooks/useEditJob';
import type { JobDetail } from '../../types';
import { jobPath } from '../../utils/entryLink';
import { getTranslation } from '../../utils/getTranslation';
import { mediaUrl } from '../../utils/mediaUrl';
import { useFeedback } from '../common/useFeedback';
import { MaskCanvas, type MaskCanvasHandle } from './MaskCanvas';

type Source = 'result' | 'entry';

/** Edit an image with an instruction, optionally only inside a painted mask; opens the new child job. */
export const EditModal = ({ job, open, onClose }: { job: JobDetail; open: boolean; onClose: () => void }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const navigate = useNavigate();
  const feedback = useFeedback();
  const edit = useEditJob();
  const maskRef = React.useRef<MaskCanvasHandle>(null);
  const [prompt, setPrompt] = React.useState('');
  const [source, setSource] = React.useState<Source>(job.result ? 'result' : 'entry');
  // The entry's image is only known to the admin as this job's source file.
  const previewUrl = mediaUrl(source === 'result' ? job.result?.url : job.sourceFile?.url);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!prompt.trim()) return;
    edit.mutate(
      { id: job.id, prompt: prompt.trim(), source, mask: maskRef.current?.toMaskDataUrl() },
      {
        onSuccess: ({ jobId }) => {
          feedback.success('actions.edit-queued', 'Edit queued as job #{id}', { id: jobId });
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
        <form onSubmit={submit} data-testid="edit-form">
          <Modal.Header>
            <Modal.Title>{t('actions.edit', 'Edit image')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
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
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{t('actions.close', 'Cancel')}</Button>
            </Modal.Close>
            <Button type="submit" loading={edit.isLoading} disabled={!prompt.trim()} data-testid="edit-confirm">
              {t('edit.submit', 'Queue the edit')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
