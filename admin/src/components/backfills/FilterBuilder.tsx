import { Box, Button, Field, Flex, IconButton, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import * as React from 'react';
import { useIntl } from 'react-intl';

import type { FilterField } from '../../types';
import {
  emptyRow,
  filtersToRows,
  operatorsFor,
  rowProblem,
  rowsToFilters,
  takesValue,
  type FilterOperator,
  type FilterRow,
} from '../../utils/filterBuilder';
import { getTranslation } from '../../utils/getTranslation';
import { TestIdSelect } from '../common/TestIdSelect';

type Mode = 'builder' | 'json';

const OPERATOR_LABELS: Record<FilterOperator, string> = {
  $eq: 'is',
  $ne: 'is not',
  $contains: 'contains',
  $startsWith: 'starts with',
  $gt: 'is greater than / after',
  $lt: 'is less than / before',
  $null: 'is empty',
  $notNull: 'is not empty',
};

const parseText = (text: string): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(text.trim() || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

interface FilterBuilderProps {
  /** The rule's content type fields the builder offers; undefined while unknown (no rule yet). */
  fields: FilterField[] | undefined;
  /** The filter as JSON text: the one value the form sends. The builder writes it and follows outside changes. */
  filtersText: string;
  onFiltersTextChange: (text: string) => void;
  /** Tells the form whether the builder's rows are all complete (an incomplete row blocks the estimate). */
  onCompleteChange: (complete: boolean) => void;
}

/**
 * The backfill filter as rows of field / operator / value, all of which must hold (`$and`), above the form's
 * JSON editor: the rows write the JSON, and JSON typed by hand (or a preset) comes back as rows. A filter the
 * rows cannot show (`$or`, other operators) closes the builder and stays JSON only.
 */
export const FilterBuilder = ({ fields, filtersText, onFiltersTextChange, onCompleteChange }: FilterBuilderProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const [mode, setMode] = React.useState<Mode>('json');
  const [rows, setRows] = React.useState<FilterRow[]>([]);
  const [unshowable, setUnshowable] = React.useState(false);
  const written = React.useRef<string | null>(null);

  const complete = mode === 'json' || rows.every((row) => !fields || rowProblem(row, fields) === null);
  React.useEffect(() => onCompleteChange(complete), [complete, onCompleteChange]);

  /** Rows for the current text, or null (and the JSON view) when the builder cannot show it. */
  const showInBuilder = React.useCallback(
    (text: string) => {
      const filters = fields && parseText(text);
      const parsed = filters ? filtersToRows(filters, fields) : null;
      setUnshowable(!parsed);
      if (!parsed) {
        setMode('json');
        return;
      }
      setRows(parsed);
      setMode('builder');
    },
    [fields]
  );

  // The text changed from outside the builder (typed JSON, a preset) or the rule's fields did (another rule):
  // show it again, or fall back to JSON.
  const shownFields = React.useRef(fields);
  React.useEffect(() => {
    const fieldsChanged = shownFields.current !== fields;
    shownFields.current = fields;
    if (mode === 'builder' && (fieldsChanged || filtersText !== written.current)) showInBuilder(filtersText);
  }, [filtersText, fields, mode, showInBuilder]);

  const update = (next: FilterRow[]) => {
    setRows(next);
    if (!fields) return;
    const text = JSON.stringify(rowsToFilters(next, fields), null, 2);
    written.current = text;
    onFiltersTextChange(text);
  };
  const changeRow = (index: number, change: Partial<FilterRow>) => update(rows.map((row, at) => (at === index ? { ...row, ...change } : row)));

  const fieldOf = (path: string) => fields?.find((field) => field.path === path);

  return (
    <Flex direction="column" alignItems="stretch" gap={3} data-testid="filter-builder" data-mode={mode}>
      <Flex gap={2} role="group" aria-label={t('filter-builder.view', 'Filter view')}>
        <Button
          size="S"
          variant={mode === 'builder' ? 'secondary' : 'tertiary'}
          aria-pressed={mode === 'builder'}
          disabled={!fields}
          data-testid="filter-mode-builder"
          onClick={() => showInBuilder(filtersText)}
        >
          {t('filter-builder.mode-builder', 'Builder')}
        </Button>
        <Button
          size="S"
          variant={mode === 'json' ? 'secondary' : 'tertiary'}
          aria-pressed={mode === 'json'}
          data-testid="filter-mode-json"
          onClick={() => {
            setUnshowable(false);
            setMode('json');
          }}
        >
          {t('filter-builder.mode-json', 'JSON only')}
        </Button>
      </Flex>
      {unshowable && (
        <Typography variant="pi" textColor="warning600" data-testid="filter-builder-unshowable">
          {t('filter-builder.unshowable', 'The builder cannot show this filter (it needs $or, another operator or a field it does not offer): edit it as JSON.')}
        </Typography>
      )}
      {mode === 'builder' && (
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Typography variant="pi" textColor="neutral600">
            {rows.length === 0
              ? t('filter-builder.no-rows', 'No condition: every entry matches.')
              : t('filter-builder.all-hold', 'Entries where every condition holds:')}
          </Typography>
          {rows.map((row, index) => {
            const field = fieldOf(row.field);
            const problem = fields ? rowProblem(row, fields) : null;
            return (
              <Flex key={index} gap={2} alignItems="flex-start" data-testid={`filter-row-${index}`}>
                <Box flex="1">
                  <Field.Root name={`filter-${index}-field`}>
                    <Field.Label>{t('filter-builder.field', 'Field')}</Field.Label>
                    <TestIdSelect
                      testId={`filter-row-${index}-field`}
                      value={row.field}
                      onChange={(value) => {
                        const next = fieldOf(String(value));
                        if (next) changeRow(index, emptyRow(next));
                      }}
                    >
                      {(fields ?? []).map((candidate) => (
                        <SingleSelectOption key={candidate.path} value={candidate.path}>
                          {candidate.path}
                        </SingleSelectOption>
                      ))}
                    </TestIdSelect>
                  </Field.Root>
                </Box>
                <Box flex="1">
                  <Field.Root name={`filter-${index}-operator`}>
                    <Field.Label>{t('filter-builder.operator', 'Condition')}</Field.Label>
                    <TestIdSelect
                      testId={`filter-row-${index}-operator`}
                      value={row.operator}
                      onChange={(value) => changeRow(index, { operator: value as FilterOperator })}
                    >
                      {(field ? operatorsFor(field.kind) : []).map((operator) => (
                        <SingleSelectOption key={operator} value={operator}>
                          {t(`filter-builder.op.${operator.slice(1)}`, OPERATOR_LABELS[operator])}
                        </SingleSelectOption>
                      ))}
                    </TestIdSelect>
                  </Field.Root>
                </Box>
                <Box flex="1">
                  {takesValue(row.operator) && (
                    <Field.Root
                      name={`filter-${index}-value`}
                      error={problem === 'value' && row.value !== '' ? t('filter-builder.bad-value', 'Not a valid value for this field.') : undefined}
                      hint={field?.kind === 'date' ? t('filter-builder.date-hint', 'A date, e.g. 2026-01-31') : undefined}
                    >
                      <Field.Label>{t('filter-builder.value', 'Value')}</Field.Label>
                      {field?.kind === 'boolean' ? (
                        <TestIdSelect testId={`filter-row-${index}-value`} value={row.value} onChange={(value) => changeRow(index, { value: String(value) })}>
                          <SingleSelectOption value="true">{t('filter-builder.true', 'true')}</SingleSelectOption>
                          <SingleSelectOption value="false">{t('filter-builder.false', 'false')}</SingleSelectOption>
                        </TestIdSelect>
                      ) : (
                        <TextInput
                          data-testid={`filter-row-${index}-value`}
                          value={row.value}
                          onChange={(event: React.ChangeEvent<HTMLInputElement>) => changeRow(index, { value: event.target.value })}
                        />
                      )}
                      <Field.Error />
                      <Field.Hint />
                    </Field.Root>
                  )}
                </Box>
                <Box paddingTop={6}>
                  <IconButton
                    label={t('filter-builder.remove', 'Remove this condition')}
                    variant="ghost"
                    data-testid={`filter-row-${index}-remove`}
                    onClick={() => update(rows.filter((_, at) => at !== index))}
                  >
                    <Trash />
                  </IconButton>
                </Box>
              </Flex>
            );
          })}
          <Flex>
            <Button
              size="S"
              variant="tertiary"
              startIcon={<Plus />}
              disabled={!fields?.length}
              data-testid="filter-add"
              onClick={() => fields?.length && update([...rows, emptyRow(fields[0])])}
            >
              {t('filter-builder.add', 'Add a condition')}
            </Button>
          </Flex>
        </Flex>
      )}
    </Flex>
  );
};
