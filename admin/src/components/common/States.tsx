import { Box, EmptyStateLayout, Flex, Loader, Typography } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';
import { useIntl } from 'react-intl';

import { getErrorMessage } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';

/** Loading / error / empty blocks for parts of a page (Page.* helpers take the whole page). */
export const InlineLoading = ({ label }: { label?: string }) => {
  const { formatMessage } = useIntl();
  return (
    <Flex justifyContent="center" padding={6}>
      <Loader small>{label ?? formatMessage({ id: getTranslation('state.loading'), defaultMessage: 'Loading…' })}</Loader>
    </Flex>
  );
};

export const InlineError = ({ error, testId }: { error: unknown; testId?: string }) => {
  const { formatMessage } = useIntl();
  const fallback = formatMessage({ id: getTranslation('state.error'), defaultMessage: 'Something went wrong.' });
  return (
    <Flex gap={2} padding={4} background="danger100" hasRadius role="alert" data-testid={testId ?? 'ai-assets-error'}>
      <WarningCircle aria-hidden fill="danger600" />
      <Typography textColor="danger600">{getErrorMessage(error, fallback)}</Typography>
    </Flex>
  );
};

export const InlineEmpty = ({ message, testId }: { message: string; testId?: string }) => (
  <Box padding={4} data-testid={testId}>
    <EmptyStateLayout content={message} />
  </Box>
);
