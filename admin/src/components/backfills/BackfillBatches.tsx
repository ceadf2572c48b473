import { Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { BackfillView } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { Section } from '../common/Section';

/** Batch mode: where each provider batch of the backfill stands (OpenAI answers within 24 h). */
export const BackfillBatches = ({ backfill }: { backfill: BackfillView }) => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id: getTranslation(id), defaultMessage }, values);
  if (backfill.mode !== 'batch') return null;
  return (
    <Section title={t('backfills.batches', 'OpenAI batches')} testId="backfill-batches">
      {backfill.batches.length === 0 && (
        <Typography textColor="neutral600">{t('backfills.batches-none', 'No batch sent yet: jobs are grouped before they are sent.')}</Typography>
      )}
      <Flex direction="column" alignItems="stretch" gap={1}>
        {backfill.batches.map((batch) => (
          <Typography key={`${batch.remoteId}-${batch.submittedAt}`} data-testid="backfill-batch" data-status={batch.remoteStatus ?? batch.state}>
            {t('backfills.batch-line', '{id}: {status} · {completed} of {total} done, {failed} failed{sent}', {
              id: batch.remoteId ?? t('backfills.batch-unsent', 'not sent'),
              status: batch.remoteStatus ?? batch.state,
              completed: batch.requestCounts?.completed ?? 0,
              total: batch.requestCounts?.total ?? batch.jobCount,
              failed: batch.requestCounts?.failed ?? 0,
              sent: batch.submittedAt ? ` · ${t('backfills.batch-sent', 'sent {at}', { at: intl.formatDate(batch.submittedAt, { dateStyle: 'short', timeStyle: 'short' }) })}` : '',
            })}
          </Typography>
        ))}
      </Flex>
    </Section>
  );
};
