import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { Play } from '@strapi/icons';
import { useIntl } from 'react-intl';

import { useTestProvider } from '../../hooks/useTestProvider';
import { formatDuration } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { InlineError } from '../common/States';
import { useErrorText } from '../common/useErrorText';

/** "Test provider": one real small call, then the image it returned or the reason it failed. */
export const ProviderTest = ({ name }: { name: string }) => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const errorText = useErrorText();
  const test = useTestProvider();
  const result = test.data;

  return (
    <Flex direction="column" alignItems="flex-start" gap={2}>
      <Button
        size="S"
        variant="secondary"
        startIcon={<Play />}
        loading={test.isLoading}
        onClick={() => test.mutate(name)}
        aria-label={t('providers.test-label', 'Test provider {name}', { name })}
        data-testid={`provider-test-${name}`}
      >
        {t('providers.test', 'Test provider')}
      </Button>
      {test.isError && <InlineError error={test.error} testId={`provider-test-error-${name}`} />}
      {result && (
        <Box
          data-testid={`provider-test-result-${name}`}
          data-ok={result.ok ? 'true' : 'false'}
          aria-live="polite"
          maxWidth="280px"
          style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}
        >
          {result.ok ? (
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography textColor="success600" fontWeight="bold">
                {t('providers.test-ok', 'Works: {model} answered in {duration}.', {
                  model: result.model ?? name,
                  duration: formatDuration(intl, result.durationMs),
                })}
              </Typography>
              {result.image && (
                <Box tag="img" src={result.image} alt={t('providers.test-image', 'Test image from {name}', { name })} maxWidth="160px" hasRadius />
              )}
            </Flex>
          ) : (
            <Typography textColor="danger600">
              {t('providers.test-failed', 'Failed: {reason}', { reason: errorText(result.error?.code, result.error?.message) })}
            </Typography>
          )}
        </Box>
      )}
    </Flex>
  );
};
