import { Status, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { ProviderView } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { Section } from '../common/Section';
import { ProviderTest } from './ProviderTest';

const ABILITIES = ['generate', 'edit', 'mask'] as const;

/** The abilities an editor cares about (generate, edit, mask); limits such as sizes are not abilities. */
export const abilitiesOf = (capabilities: ProviderView['capabilities']): string[] =>
  ABILITIES.filter((ability) =>
    Array.isArray(capabilities) ? capabilities.includes(ability) : Boolean((capabilities ?? {})[ability])
  );

/** Configured providers and whether each can work; the server never sends a key. */
export const ProvidersSection = ({ providers }: { providers: ProviderView[] }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  return (
    <Section title={t('providers.title', 'Providers')} testId="settings-providers">
      {providers.length === 0 ? (
        <Typography textColor="neutral600">{t('providers.empty', 'No provider is configured.')}</Typography>
      ) : (
        <Table colCount={5} rowCount={providers.length + 1}>
          <Thead>
            <Tr>
              <Th><Typography variant="sigma">{t('providers.name', 'Name')}</Typography></Th>
              <Th><Typography variant="sigma">{t('providers.model', 'Type / model')}</Typography></Th>
              <Th><Typography variant="sigma">{t('providers.state', 'State')}</Typography></Th>
              <Th><Typography variant="sigma">{t('providers.capabilities', 'Can')}</Typography></Th>
              <Th><Typography variant="sigma">{t('providers.test', 'Test provider')}</Typography></Th>
            </Tr>
          </Thead>
          <Tbody>
            {providers.map((provider) => (
              <Tr key={provider.name} data-testid={`provider-row-${provider.name}`}>
                <Td><Typography fontWeight="bold">{provider.name}</Typography></Td>
                <Td><Typography>{[provider.type, provider.model].filter(Boolean).join(' · ')}</Typography></Td>
                <Td>
                  <Status variant={provider.configured ? 'success' : 'danger'} size="S" data-testid={`provider-state-${provider.name}`}>
                    <Typography variant="omega" fontWeight="bold">
                      {provider.configured ? t('providers.configured', 'Configured') : t('providers.key-missing', 'Key missing')}
                    </Typography>
                  </Status>
                  {provider.problem && <Typography variant="pi" textColor="danger600" tag="p">{provider.problem}</Typography>}
                </Td>
                <Td>
                  <Typography data-testid={`provider-abilities-${provider.name}`}>
                    {abilitiesOf(provider.capabilities)
                      .map((ability) => t(`providers.ability.${ability}`, ability))
                      .join(', ') || t('providers.ability.none', 'nothing')}
                  </Typography>
                </Td>
                {/* Table cells clip overflowing content: the test result wraps inside a bounded width instead. */}
                <Td style={{ whiteSpace: 'normal', verticalAlign: 'top' }}><ProviderTest name={provider.name} /></Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Section>
  );
};
