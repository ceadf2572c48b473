import { Box, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { JobDetail } from '../../types';
import { formatDateTime, formatRelative } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { Section } from '../common/Section';
import { useErrorText } from '../common/useErrorText';

/** Every attempt with its error in plain words, and whether / when the queue tries again. */
export const JobAttempts = ({ job }: { job: JobDetail }) => {
  const intl = useIntl();
  const errorText = useErrorText();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const attempts = job.attemptLog ?? [];

  return (
    <Section
      title={t('detail.attempts', 'Attempts ({count} of {max})', { count: job.attempts, max: job.maxAttempts })}
      testId="job-attempts"
    >
      {job.error && (
        <Box background={job.error.retryable ? 'warning100' : 'danger100'} padding={3} hasRadius role="status" data-testid="job-error">
          <Typography fontWeight="bold">{errorText(job.error.code, job.error.message)}</Typography>
          <Typography tag="p" variant="pi">
            {job.status === 'queued' && job.nextRunAt
              ? t('detail.next-retry', 'Next try {when} ({at}).', {
                  when: formatRelative(intl, job.nextRunAt),
                  at: formatDateTime(intl, job.nextRunAt),
                })
              : job.error.retryable && job.status !== 'failed'
                ? t('detail.will-retry', 'This error is temporary: the job will be retried.')
                : t('detail.no-retry', 'This error will not be retried automatically.')}
          </Typography>
        </Box>
      )}
      {attempts.length === 0 ? (
        <Typography textColor="neutral600">{t('detail.no-attempts', 'Not tried yet.')}</Typography>
      ) : (
        <Table colCount={4} rowCount={attempts.length + 1}>
          <Thead>
            <Tr>
              <Th><Typography variant="sigma">#</Typography></Th>
              <Th><Typography variant="sigma">{t('detail.attempt-started', 'Started')}</Typography></Th>
              <Th><Typography variant="sigma">{t('detail.attempt-outcome', 'Outcome')}</Typography></Th>
              <Th><Typography variant="sigma">{t('detail.attempt-next', 'Next try')}</Typography></Th>
            </Tr>
          </Thead>
          <Tbody>
            {/* Keyed by position: a retried job starts counting its attempts at 1 again in the same log. */}
            {attempts.map((attempt, index) => (
              <Tr key={index} data-testid={`attempt-${attempt.attempt}`}>
                <Td><Typography>{attempt.attempt}</Typography></Td>
                <Td><Typography>{formatDateTime(intl, attempt.startedAt)}</Typography></Td>
                <Td>
                  <Flex direction="column" alignItems="flex-start">
                    <Typography>
                      {intl.formatMessage({ id: getTranslation(`outcome.${attempt.outcome}`), defaultMessage: attempt.outcome })}
                    </Typography>
                    {attempt.errorCode && (
                      <Typography variant="pi" textColor="danger600">
                        {errorText(attempt.errorCode, attempt.errorMessage)}
                        {' · '}
                        {attempt.retryable
                          ? t('detail.retryable', 'temporary')
                          : t('detail.not-retryable', 'not retried')}
                      </Typography>
                    )}
                  </Flex>
                </Td>
                <Td>
                  <Typography>{attempt.nextRunAt ? formatRelative(intl, attempt.nextRunAt) : '—'}</Typography>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Section>
  );
};
