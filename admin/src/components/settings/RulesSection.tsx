import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { RuleView } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { Section } from '../common/Section';
import { useRuleText } from '../common/useRuleText';

/** Rules as sentences with their prompt template, so an editor can check what will run. */
export const RulesSection = ({ rules }: { rules: RuleView[] }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const ruleText = useRuleText();
  return (
    <Section title={t('rules.title', 'Rules')} testId="settings-rules">
      {rules.length === 0 ? (
        <Typography textColor="neutral600">{t('rules.empty', 'No rule is configured: nothing runs on publish.')}</Typography>
      ) : (
        rules.map((rule) => (
          <Box key={rule.id} padding={3} background="neutral100" hasRadius data-testid={`rule-${rule.id}`}>
            <Flex direction="column" alignItems="stretch" gap={1}>
              <Typography fontWeight="bold">
                {rule.id} · {rule.contentType}
              </Typography>
              <Typography>{ruleText(rule)}</Typography>
              {rule.locales && rule.locales.length > 0 && (
                <Typography variant="pi" textColor="neutral600">
                  {formatMessage(
                    { id: getTranslation('rules.locales'), defaultMessage: 'Locales: {locales}' },
                    { locales: rule.locales.join(', ') }
                  )}
                </Typography>
              )}
              <Typography variant="pi" textColor="neutral600" style={{ whiteSpace: 'pre-wrap' }}>
                {formatMessage({ id: getTranslation('rules.prompt'), defaultMessage: 'Prompt: {prompt}' }, { prompt: rule.prompt })}
              </Typography>
            </Flex>
          </Box>
        ))
      )}
    </Section>
  );
};
