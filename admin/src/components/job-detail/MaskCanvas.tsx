import { Box, Button, Field, Flex, SingleSelectOption, Typography } from '@strapi/design-system';
import { Trash } from '@strapi/icons';
import * as React from 'react';
import { useIntl } from 'react-intl';

import { getTranslation } from '../../utils/getTranslation';
import { TestIdSelect } from '../common/TestIdSelect';

export interface MaskCanvasHandle {
  /** PNG data URL in the OpenAI convention (painted = transparent = "change this"), or undefined when nothing is painted. */
  toMaskDataUrl: () => string | undefined;
}

/** Brush diameter as a share of the image width, so it feels the same on any image size. */
const BRUSHES = { small: 0.02, medium: 0.05, large: 0.1 } as const;
type BrushSize = keyof typeof BRUSHES;
const PAINT_COLOR = 'rgb(238, 94, 82)';

/** Paint over the image the areas the provider may change. The canvas has the image's own pixel size. */
export const MaskCanvas = React.forwardRef<MaskCanvasHandle, { imageUrl: string; label: string }>(
  ({ imageUrl, label }, ref) => {
    const { formatMessage } = useIntl();
    const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
    const canvasRef = React.useRef<HTMLCanvasElement>(null);
    const lastPoint = React.useRef<{ x: number; y: number } | null>(null);
    const [size, setSize] = React.useState<{ width: number; height: number } | null>(null);
    const [brush, setBrush] = React.useState<BrushSize>('medium');
    const [hasPaint, setHasPaint] = React.useState(false);

    React.useImperativeHandle(
      ref,
      () => ({
        toMaskDataUrl: () => {
          const painted = canvasRef.current;
          if (!painted || !size || !hasPaint) return undefined;
          const mask = document.createElement('canvas');
          mask.width = size.width;
          mask.height = size.height;
          const context = mask.getContext('2d');
          if (!context) return undefined;
          context.fillStyle = '#ffffff';
          context.fillRect(0, 0, size.width, size.height);
          // Punch the painted strokes out of the white sheet: painted pixels become fully transparent.
          context.globalCompositeOperation = 'destination-out';
          context.drawImage(painted, 0, 0);
          return mask.toDataURL('image/png');
        },
      }),
      [size, hasPaint]
    );

    const toCanvasPoint = (event: React.PointerEvent<HTMLCanvasElement>) => {
      const canvas = event.currentTarget;
      const rect = canvas.getBoundingClientRect();
      return {
        x: ((event.clientX - rect.left) * canvas.width) / rect.width,
        y: ((event.clientY - rect.top) * canvas.height) / rect.height,
      };
    };

    const paintTo = (point: { x: number; y: number }) => {
      const context = canvasRef.current?.getContext('2d');
      if (!context || !size) return;
      const from = lastPoint.current ?? point;
      context.strokeStyle = PAINT_COLOR;
      context.lineCap = 'round';
      context.lineJoin = 'round';
      context.lineWidth = Math.max(2, BRUSHES[brush] * size.width);
      context.beginPath();
      context.moveTo(from.x, from.y);
      context.lineTo(point.x, point.y);
      context.stroke();
      lastPoint.current = point;
      if (!hasPaint) setHasPaint(true);
    };

    const clear = () => {
      const canvas = canvasRef.current;
      canvas?.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
      setHasPaint(false);
    };

    return (
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Box position="relative" background="neutral100" hasRadius overflow="hidden">
          <Box
            tag="img"
            src={imageUrl}
            alt={label}
            width="100%"
            display="block"
            onLoad={(event: React.SyntheticEvent<HTMLImageElement>) =>
              setSize({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })
            }
          />
          {size && (
            <canvas
              ref={canvasRef}
              width={size.width}
              height={size.height}
              data-testid="mask-canvas"
              data-painted={hasPaint ? 'true' : 'false'}
              role="img"
              aria-label={t('mask.canvas', 'Mask: paint the areas to change')}
              style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', opacity: 0.5, cursor: 'crosshair', touchAction: 'none' }}
              onPointerDown={(event) => {
                event.currentTarget.setPointerCapture(event.pointerId);
                lastPoint.current = null;
                paintTo(toCanvasPoint(event));
              }}
              onPointerMove={(event) => {
                if (event.currentTarget.hasPointerCapture(event.pointerId)) paintTo(toCanvasPoint(event));
              }}
              onPointerUp={() => {
                lastPoint.current = null;
              }}
            />
          )}
        </Box>
        <Flex gap={2} alignItems="flex-end">
          <Field.Root name="brush" width="160px">
            <Field.Label>{t('mask.brush', 'Brush size')}</Field.Label>
            <TestIdSelect testId="mask-brush-size" value={brush} onChange={(value) => setBrush(value as BrushSize)}>
              <SingleSelectOption value="small">{t('mask.brush.small', 'Small')}</SingleSelectOption>
              <SingleSelectOption value="medium">{t('mask.brush.medium', 'Medium')}</SingleSelectOption>
              <SingleSelectOption value="large">{t('mask.brush.large', 'Large')}</SingleSelectOption>
            </TestIdSelect>
          </Field.Root>
          <Button variant="tertiary" startIcon={<Trash />} onClick={clear} disabled={!hasPaint} data-testid="mask-clear">
            {t('mask.clear', 'Clear mask')}
          </Button>
        </Flex>
        <Typography variant="pi" textColor="neutral600">
          {hasPaint
            ? t('mask.painted', 'Only the painted areas will be changed.')
            : t('mask.empty', 'Nothing painted: the whole image may change.')}
        </Typography>
      </Flex>
    );
  }
);
MaskCanvas.displayName = 'MaskCanvas';
