import { Flex } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { BudgetsSection } from '../components/settings/BudgetsSection';
import { ProvidersSection } from '../components/settings/ProvidersSection';
import { QueueHealth } from '../components/settings/QueueHealth';
import { RulesSection } from '../components/settings/RulesSection';
import { useSettings } from '../hooks/useSettings';
import { PERMISSIONS } from '../permissions';
import { getErrorMessage } from '../utils/errors';
import { getTranslation } from '../utils/getTranslation';

const SettingsContent = () => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const settings = useSettings();

  if (settings.isLoading) return <Page.Loading />;
  if (settings.isError || !settings.data) {
    return <Page.Error content={getErrorMessage(settings.error, t('state.error', 'Something went wrong.'))} />;
  }
  return (
    <Page.Main>
      <Page.Title>{t('settings.title', 'AI Assets settings')}</Page.Title>
      <Layouts.Header
        title={t('settings.title', 'AI Assets settings')}
        subtitle={t('settings.subtitle', 'Providers, rules and queue, as configured in config/plugins. Keys stay on the server.')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4} data-testid="ai-assets-settings">
          <ProvidersSection providers={settings.data.providers} />
          <QueueHealth queueConfig={settings.data.queue ?? {}} />
          <BudgetsSection />
          <RulesSection rules={settings.data.rules} />
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

/** Settings > AI Assets: read-only view of the configuration, guarded by plugin::ai-assets.settings. */
const SettingsPage = () => (
  <Page.Protect permissions={PERMISSIONS.settings}>
    <SettingsContent />
  </Page.Protect>
);

export default SettingsPage;
