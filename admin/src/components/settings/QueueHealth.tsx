import { Box, Flex, Grid, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { useStats } from '../../hooks/useStats';
import { JOB_STATUSES } from '../../types';
import { formatDuration } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { Fact, Section } from '../common/Section';
import { InlineError, InlineLoading } from '../common/States';
import { useStatusLabel } from '../common/StatusBadge';

const Figure = ({ label, value, testId }: { label: string; value: string; testId: string }) => (
  <Box padding={3} background="neutral100" hasRadius data-testid={testId}>
    <Typography variant="pi" textColor="neutral600" tag="p">{label}</Typography>
    <Typography variant="beta" tag="p">{value}</Typography>
  </Box>
);

const QUEUE_LABELS: Record<string, string> = {
  concurrency: 'Jobs run at once',
  maxAttempts: 'Attempts per job',
  leaseMs: 'Lease (a stalled job is taken over after)',
  pollIntervalMs: 'Checks for new jobs every',
  backoffBaseMs: 'First retry after',
  maxBackoffMs: 'Longest wait between retries',
  maxRetryAfterMs: 'Longest provider-asked wait honoured',
  worker: 'Worker runs in this process',
};

/** A queue setting as an editor reads it: durations in seconds or minutes, switches as yes / no. */
const useQueueValue = () => {
  const intl = useIntl();
  return (key: string, value: unknown) => {
    if (typeof value === 'number' && key.endsWith('Ms')) return formatDuration(intl, value);
    if (typeof value === 'number') return intl.formatNumber(value);
    if (typeof value === 'boolean') {
      return value
        ? intl.formatMessage({ id: getTranslation('queue.yes'), defaultMessage: 'Yes' })
        : intl.formatMessage({ id: getTranslation('queue.no'), defaultMessage: 'No' });
    }
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  };
};

/** Queue counts and throughput (live while jobs run) plus the queue configuration in force. */
export const QueueHealth = ({ queueConfig }: { queueConfig: Record<string, unknown> }) => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string) => intl.formatMessage({ id: getTranslation(id), defaultMessage });
  const statusLabel = useStatusLabel();
  const stats = useStats({ live: true });
  const queueValue = useQueueValue();

  return (
    <Section title={t('queue.title', 'Queue health')} testId="settings-queue">
      {stats.isLoading ? (
        <InlineLoading />
      ) : stats.isError || !stats.data ? (
        <InlineError error={stats.error} testId="queue-error" />
      ) : (
        <>
          <Grid.Root gap={3}>
            <Grid.Item col={4} s={12}>
              <Figure label={t('queue.per-minute', 'Jobs per minute')} value={intl.formatNumber(stats.data.jobsPerMinute, { maximumFractionDigits: 1 })} testId="queue-per-minute" />
            </Grid.Item>
            <Grid.Item col={4} s={12}>
              <Figure label={t('queue.failures', 'Failures in the last 24 h')} value={intl.formatNumber(stats.data.failuresLast24h)} testId="queue-failures" />
            </Grid.Item>
            <Grid.Item col={4} s={12}>
              <Figure label={t('queue.in-flight', 'In progress')} value={intl.formatNumber(stats.data.inFlight)} testId="queue-in-flight" />
            </Grid.Item>
          </Grid.Root>
          <Flex gap={4} wrap="wrap" data-testid="queue-counts">
            {JOB_STATUSES.map((status) => (
              <Fact key={status} label={statusLabel(status)}>
                <span data-testid={`queue-count-${status}`}>{intl.formatNumber(stats.data?.counts[status] ?? 0)}</span>
              </Fact>
            ))}
          </Flex>
        </>
      )}
      {Object.keys(queueConfig).length > 0 && (
        <Flex direction="column" alignItems="stretch" gap={1} data-testid="queue-config">
          <Typography variant="sigma" tag="h3">{t('queue.config', 'Queue settings')}</Typography>
          {Object.entries(queueConfig).map(([key, value]) => (
            <Fact key={key} label={QUEUE_LABELS[key] ? t(`queue.setting.${key}`, QUEUE_LABELS[key]) : key}>
              <span data-testid={`queue-setting-${key}`}>{queueValue(key, value)}</span>
            </Fact>
          ))}
        </Flex>
      )}
    </Section>
  );
};
