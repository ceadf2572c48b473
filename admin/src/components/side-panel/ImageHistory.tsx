import { Badge, Box, Button, Flex, Link, Typography } from '@strapi/design-system';
import { ArrowClockwise, Image } from '@strapi/icons';
import { useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import { useImageHistory } from '../../hooks/useImageHistory';
import { useRevertImage } from '../../hooks/useRevertImage';
import { PERMISSIONS } from '../../permissions';
import type { HistoryImage } from '../../types';
import { jobPath } from '../../utils/entryLink';
import { formatRelative } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { mediaUrl } from '../../utils/mediaUrl';
import { InlineError, InlineLoading } from '../common/States';
import { useFeedback } from '../common/useFeedback';

interface ImageHistoryProps {
  contentType: string;
  documentId: string;
  locale?: string;
  /** Only this field's history (default: every field the plugin attached to). */
  field?: string;
}

const byField = (entries: HistoryImage[]) =>
  entries.reduce<Map<string, HistoryImage[]>>((groups, entry) => groups.set(entry.field, [...(groups.get(entry.field) ?? []), entry]), new Map());

/**
 * The entry's image history per media field (every image the plugin attached, newest first) with "Put back" for
 * earlier ones: used in the edit view's side panel and on the job page.
 */
export const ImageHistory = ({ contentType, documentId, locale, field }: ImageHistoryProps) => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { allowedActions } = useRBAC(PERMISSIONS.actions);
  const history = useImageHistory({ contentType, documentId, locale, field });
  const revert = useRevertImage();
  const feedback = useFeedback();
  const canReview = Boolean(allowedActions.canReview);

  if (history.isLoading) return <InlineLoading />;
  if (history.isError) return <InlineError error={history.error} testId="image-history-error" />;
  if (!history.data?.length) {
    return (
      <Typography variant="pi" textColor="neutral600" data-testid="image-history-empty">
        {t('history.empty', 'The plugin has not attached an image to this entry yet.')}
      </Typography>
    );
  }

  return (
    <Flex direction="column" alignItems="stretch" gap={3} data-testid="image-history">
      {[...byField(history.data)].map(([fieldName, entries]) => (
        <Flex key={fieldName} direction="column" alignItems="stretch" gap={2} data-testid={`image-history-${fieldName}`}>
          <Typography variant="sigma" textColor="neutral600">{t('history.field', 'Images of “{field}”', { field: fieldName })}</Typography>
          {entries.map((entry) => {
            const src = mediaUrl(entry.fileExists ? entry.thumbnailUrl : undefined);
            return (
              <Flex key={`${entry.jobId}-${entry.fileId}`} gap={2} alignItems="center" data-testid={`history-entry-${entry.jobId}-${fieldName}`} data-current={entry.current}>
                <Flex width="40px" height="40px" background="neutral150" hasRadius justifyContent="center" alignItems="center" overflow="hidden" shrink={0}>
                  {src ? (
                    <Box tag="img" src={src} alt={t('history.alt', 'Image attached by job {id}', { id: entry.jobId })} width="100%" height="100%" style={{ objectFit: 'cover' }} />
                  ) : (
                    <Image aria-hidden width="16px" height="16px" fill="neutral500" />
                  )}
                </Flex>
                <Flex direction="column" alignItems="flex-start" gap={1} flex="1">
                  <Flex gap={2} wrap="wrap">
                    <Link tag={NavLink} to={jobPath(entry.jobId)}>
                      {entry.revertOf ? t('history.revert-link', '#{id} · put back from #{from}', { id: entry.jobId, from: entry.revertOf }) : `#${entry.jobId}`}
                    </Link>
                    {entry.current && <Badge active>{t('history.current', 'Current')}</Badge>}
                  </Flex>
                  <Typography variant="pi" textColor="neutral600">
                    {entry.fileExists ? formatRelative(intl, entry.attachedAt) : t('history.deleted', 'File deleted from the Media Library')}
                  </Typography>
                </Flex>
                {canReview && entry.fileExists && !entry.current && (
                  <Button
                    size="S"
                    variant="tertiary"
                    startIcon={<ArrowClockwise />}
                    loading={revert.isLoading && revert.variables?.id === entry.jobId}
                    data-testid={`history-revert-${entry.jobId}-${fieldName}`}
                    onClick={() =>
                      revert.mutate(
                        { id: entry.jobId, field: fieldName },
                        { onSuccess: () => feedback.success('history.reverted', 'The earlier image is back in “{field}”.', { field: fieldName }), onError: feedback.failure }
                      )
                    }
                  >
                    {t('history.revert', 'Put back')}
                  </Button>
                )}
              </Flex>
            );
          })}
        </Flex>
      ))}
    </Flex>
  );
};
