import { DatePicker, Field, Flex, SingleSelectOption } from '@strapi/design-system';
import { SearchInput } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { JOB_STATUSES, type ContentTypeView, type RuleView } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { useStatusLabel } from '../common/StatusBadge';
import { TestIdSelect } from '../common/TestIdSelect';

/** Filter values as kept in the URL; '' means "any". `status` may also be 'all' (explicitly no filter). */
export interface JobsFilterValues {
  status: string;
  contentType: string;
  rule: string;
  from: string;
  to: string;
}

interface JobsFiltersProps {
  values: JobsFilterValues;
  contentTypes: ContentTypeView[];
  rules: RuleView[];
  onChange: (next: Partial<JobsFilterValues>) => void;
}

const ANY = '__any__';

/** yyyy-mm-dd in local time: what the URL keeps and what the editor picked. */
const toDay = (date: Date | undefined) =>
  date
    ? `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`
    : '';
const fromDay = (day: string) => (day ? new Date(`${day}T00:00:00`) : undefined);

export const JobsFilters = ({ values, contentTypes, rules, onChange }: JobsFiltersProps) => {
  const { formatMessage } = useIntl();
  const statusLabel = useStatusLabel();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const visibleRules = values.contentType ? rules.filter((rule) => rule.contentType === values.contentType) : rules;

  return (
    <Flex gap={3} wrap="wrap" alignItems="flex-end" data-testid="jobs-filters">
      <SearchInput label={t('filters.search', 'Search by entry')} placeholder={t('filters.search', 'Search by entry')} />
      <Field.Root name="status" width="200px">
        <Field.Label>{t('filters.status', 'Status')}</Field.Label>
        <TestIdSelect
          testId="filter-status"
          value={values.status || 'all'}
          onChange={(status) => onChange({ status: String(status) })}
        >
          <SingleSelectOption value="all">{t('filters.all-statuses', 'All statuses')}</SingleSelectOption>
          {JOB_STATUSES.map((status) => (
            <SingleSelectOption key={status} value={status}>
              {statusLabel(status)}
            </SingleSelectOption>
          ))}
        </TestIdSelect>
      </Field.Root>
      <Field.Root name="contentType" width="220px">
        <Field.Label>{t('filters.content-type', 'Content type')}</Field.Label>
        <TestIdSelect
          testId="filter-content-type"
          value={values.contentType || ANY}
          onChange={(uid) => onChange({ contentType: uid === ANY ? '' : String(uid), rule: '' })}
        >
          <SingleSelectOption value={ANY}>{t('filters.any', 'Any')}</SingleSelectOption>
          {contentTypes.map((contentType) => (
            <SingleSelectOption key={contentType.uid} value={contentType.uid}>
              {contentType.displayName}
            </SingleSelectOption>
          ))}
        </TestIdSelect>
      </Field.Root>
      <Field.Root name="rule" width="220px">
        <Field.Label>{t('filters.rule', 'Rule')}</Field.Label>
        <TestIdSelect
          testId="filter-rule"
          value={values.rule || ANY}
          onChange={(rule) => onChange({ rule: rule === ANY ? '' : String(rule) })}
        >
          <SingleSelectOption value={ANY}>{t('filters.any', 'Any')}</SingleSelectOption>
          {visibleRules.map((rule) => (
            <SingleSelectOption key={rule.id} value={rule.id}>
              {rule.id}
            </SingleSelectOption>
          ))}
        </TestIdSelect>
      </Field.Root>
      <Field.Root name="from" width="180px">
        <Field.Label>{t('filters.from', 'From')}</Field.Label>
        <DatePicker
          data-testid="filter-from"
          value={fromDay(values.from)}
          maxDate={fromDay(values.to)}
          onChange={(date) => onChange({ from: toDay(date) })}
          onClear={() => onChange({ from: '' })}
          clearLabel={t('filters.clear-date', 'Clear date')}
        />
      </Field.Root>
      <Field.Root name="to" width="180px">
        <Field.Label>{t('filters.to', 'To')}</Field.Label>
        <DatePicker
          data-testid="filter-to"
          value={fromDay(values.to)}
          minDate={fromDay(values.from)}
          onChange={(date) => onChange({ to: toDay(date) })}
          onClear={() => onChange({ to: '' })}
          clearLabel={t('filters.clear-date', 'Clear date')}
        />
      </Field.Root>
    </Flex>
  );
};
