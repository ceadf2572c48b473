import { Flex } from '@strapi/design-system';
import { BackButton, Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { BackfillForm } from '../components/backfills/BackfillForm';
import { BackfillsTable } from '../components/backfills/BackfillsTable';
import { Section } from '../components/common/Section';
import { InlineEmpty, InlineError, InlineLoading } from '../components/common/States';
import { useBackfills } from '../hooks/useBackfills';
import { getTranslation } from '../utils/getTranslation';

/** Backfills: estimate and start a new one, and the recent ones with their progress. */
export const BackfillsPage = () => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const backfills = useBackfills();
  return (
    <Page.Main>
      <Page.Title>{t('backfills.title', 'Backfills')}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback="/plugins/ai-assets" />}
        title={t('backfills.title', 'Backfills')}
        subtitle={t('backfills.subtitle', 'Run a rule over many existing entries, with a cost estimate first.')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <BackfillForm />
          <Section title={t('backfills.recent', 'Recent backfills')} testId="backfills-recent">
            {backfills.isLoading ? (
              <InlineLoading />
            ) : backfills.isError ? (
              <InlineError error={backfills.error} testId="backfills-error" />
            ) : !backfills.data || backfills.data.length === 0 ? (
              <InlineEmpty message={t('backfills.empty', 'No backfill yet.')} testId="backfills-empty" />
            ) : (
              <BackfillsTable backfills={backfills.data} />
            )}
          </Section>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
