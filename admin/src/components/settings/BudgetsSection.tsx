import { ProgressBar, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { useBudgets } from '../../hooks/useBudgets';
import { formatCost, formatDateTime } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { Section } from '../common/Section';
import { InlineError, InlineLoading } from '../common/States';

/** Budgets (config `budgets`) with today's / this month's spend, from the jobs' recorded cost. */
export const BudgetsSection = () => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string) => intl.formatMessage({ id: getTranslation(id), defaultMessage });
  const budgets = useBudgets();
  return (
    <Section title={t('budgets.title', 'Budgets')} testId="settings-budgets">
      {budgets.isLoading ? (
        <InlineLoading />
      ) : budgets.isError ? (
        <InlineError error={budgets.error} testId="budgets-error" />
      ) : !budgets.data || budgets.data.length === 0 ? (
        <Typography textColor="neutral600" data-testid="budgets-empty">
          {t('budgets.empty', 'No budget is configured: spending is not capped.')}
        </Typography>
      ) : (
        <Table colCount={5} rowCount={budgets.data.length + 1}>
          <Thead>
            <Tr>
              <Th><Typography variant="sigma">{t('budgets.scope', 'Budget')}</Typography></Th>
              <Th><Typography variant="sigma">{t('budgets.window', 'Window (UTC)')}</Typography></Th>
              <Th><Typography variant="sigma">{t('budgets.spent', 'Spent / cap')}</Typography></Th>
              <Th><Typography variant="sigma">{t('budgets.used', 'Used')}</Typography></Th>
              <Th><Typography variant="sigma">{t('budgets.resets', 'Resets')}</Typography></Th>
            </Tr>
          </Thead>
          <Tbody>
            {budgets.data.map((budget) => {
              const key = `${budget.provider ?? '*'}-${budget.rule ?? '*'}-${budget.window}`;
              const used = budget.capUsd > 0 ? Math.min(100, Math.round((budget.spentUsd / budget.capUsd) * 100)) : 100;
              return (
                <Tr key={key} data-testid={`budget-row-${key}`}>
                  <Td><Typography fontWeight="bold">{budget.label}</Typography></Td>
                  <Td>
                    <Typography>
                      {budget.window === 'daily' ? t('budgets.daily', 'Today') : t('budgets.monthly', 'This month')}
                    </Typography>
                  </Td>
                  <Td>
                    <Typography data-testid={`budget-spent-${key}`}>
                      {`${formatCost(intl, budget.spentUsd)} / ${formatCost(intl, budget.capUsd)}`}
                    </Typography>
                  </Td>
                  <Td><ProgressBar value={used} size="S" aria-label={t('budgets.used', 'Used')} /></Td>
                  <Td><Typography>{formatDateTime(intl, budget.resetsAt)}</Typography></Td>
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      )}
    </Section>
  );
};
