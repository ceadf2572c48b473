import { Flex, Typography } from '@strapi/design-system';
import { BackButton, Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useParams } from 'react-router-dom';

import { BackfillProgress } from '../components/backfills/BackfillProgress';
import { BackfillStatusBadge } from '../components/backfills/BackfillStatusBadge';
import { useBackfill } from '../hooks/useBackfill';
import { backfillsPath } from '../utils/entryLink';
import { getErrorMessage } from '../utils/errors';
import { getTranslation } from '../utils/getTranslation';

/** One backfill's progress view (backfills/:id); live while it runs. */
export const BackfillPage = () => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { id } = useParams<{ id: string }>();
  const backfill = useBackfill(Number(id));

  if (backfill.isLoading) return <Page.Loading />;
  if (backfill.isError || !backfill.data) {
    return <Page.Error content={getErrorMessage(backfill.error, t('state.error', 'Something went wrong.'))} />;
  }
  const data = backfill.data;
  const live = data.status === 'running' || data.status === 'estimating';
  return (
    <Page.Main>
      <Page.Title>{t('backfills.heading', 'Backfill #{id}', { id: data.id })}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback={backfillsPath} />}
        title={t('backfills.heading', 'Backfill #{id}', { id: data.id })}
        subtitle={
          <Flex gap={2}>
            <BackfillStatusBadge status={data.status} backfillId={data.id} />
            {live && (
              <Typography variant="pi" textColor="neutral600" aria-live="polite" data-testid="backfill-live">
                {t('backfills.live', 'Updates automatically while it runs.')}
              </Typography>
            )}
          </Flex>
        }
      />
      <Layouts.Content>
        <BackfillProgress backfill={data} />
      </Layouts.Content>
    </Page.Main>
  );
};
