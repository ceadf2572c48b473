import { Box, Flex, Typography } from '@strapi/design-system';
import * as React from 'react';
import { type IntlShape, useIntl } from 'react-intl';

import { useJobPreview } from '../../hooks/useJobPreview';
import { getTranslation } from '../../utils/getTranslation';

/** Blur of a frame: the first partial is shown very soft, each later one sharper (the final image is sharp). */
const blurFor = (index: number) => `blur(${(8 / (index + 1)).toFixed(1)}px)`;

/** "12 sec", "2 min 5 sec" in the editor's language: whole seconds, so the counter ticks visibly. */
function formatElapsed(intl: IntlShape, ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const secondsPart = intl.formatNumber(seconds % 60, { style: 'unit', unit: 'second' });
  return seconds < 60 ? secondsPart : `${intl.formatNumber(Math.floor(seconds / 60), { style: 'unit', unit: 'minute' })} ${secondsPart}`;
}

/** Re-renders every second while mounted. */
function useNow(): number {
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/**
 * A running job's image as it is being made: the latest partial frame, blurred less as sharper frames arrive,
 * and the time since the job started. Before the first frame (or for providers that send none) a soft
 * placeholder with the same counter shows that work is under way.
 */
export const LivePreview = ({ jobId, startedAt, maxWidth }: { jobId: number; startedAt: string | null; maxWidth?: string }) => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const preview = useJobPreview(jobId, true);
  const now = useNow();
  const frame = preview.data?.frame ?? null;
  const since = startedAt ?? preview.data?.startedAt ?? null;
  const elapsed = since ? formatElapsed(intl, now - new Date(since).getTime()) : null;

  return (
    <Flex
      direction="column"
      alignItems="stretch"
      gap={1}
      width="100%"
      style={maxWidth ? { maxWidth } : undefined}
      data-testid={`live-preview-${jobId}`}
      data-frame-index={frame ? frame.index : ''}
    >
      {/* The frame sets its own height; the placeholder is square until the first frame arrives. */}
      <Box background="neutral150" hasRadius overflow="hidden" position="relative" style={frame ? undefined : { aspectRatio: '1 / 1' }}>
        {frame ? (
          <Box
            tag="img"
            src={frame.image}
            alt={t('live.frame-alt', 'Image of job {id} being made (step {step})', { id: jobId, step: frame.index + 1 })}
            width="100%"
            display="block"
            data-testid={`live-preview-image-${jobId}`}
            // A slight zoom keeps the blurred edges inside the box.
            style={{ filter: blurFor(frame.index), transition: 'filter 600ms ease-out', transform: 'scale(1.04)' }}
          />
        ) : (
          <Flex height="100%" justifyContent="center" alignItems="center" padding={2}>
            <Typography variant="pi" textColor="neutral600" textAlign="center">
              {t('live.waiting', 'Making the image…')}
            </Typography>
          </Flex>
        )}
      </Box>
      <Typography variant="pi" textColor="neutral600" aria-live="polite" data-testid={`live-preview-elapsed-${jobId}`}>
        {frame
          ? t('live.step', 'Step {step} · {elapsed}', { step: frame.index + 1, elapsed: elapsed ?? '—' })
          : t('live.elapsed', 'Running · {elapsed}', { elapsed: elapsed ?? '—' })}
      </Typography>
    </Flex>
  );
};
