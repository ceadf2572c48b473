import { Box, Button, Field, Flex, Grid, SingleSelectOption, Textarea, TextInput, Typography } from '@strapi/design-system';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';

import { useBackfill } from '../../hooks/useBackfill';
import { useStartBackfill } from '../../hooks/useBackfillActions';
import { useCreateBackfill } from '../../hooks/useCreateBackfill';
import { useRules } from '../../hooks/useRules';
import type { BackfillView } from '../../types';
import { backfillPath } from '../../utils/entryLink';
import { formatCost } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { Section } from '../common/Section';
import { InlineError } from '../common/States';
import { TestIdSelect } from '../common/TestIdSelect';
import { useFeedback } from '../common/useFeedback';

/** The filter editor's text as a Strapi filter object, or which message explains why it is not one. */
const parseFilters = (text: string): { filters?: Record<string, unknown>; error?: 'json' | 'object' } => {
  if (!text.trim()) return { filters: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { filters: value as Record<string, unknown> };
    return { error: 'object' };
  } catch {
    return { error: 'json' };
  }
};

const Figure = ({ label, value, testId }: { label: string; value: string; testId: string }) => (
  <Box padding={3} background="neutral100" hasRadius data-testid={testId}>
    <Typography variant="pi" textColor="neutral600" tag="p">{label}</Typography>
    <Typography variant="beta" tag="p">{value}</Typography>
  </Box>
);

/** The dry run's answer: what starting would queue and cost. */
const Estimate = ({ backfill }: { backfill: BackfillView }) => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const skipped = backfill.skipped.duplicate + backfill.skipped.hasImage + backfill.skipped.other;
  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid="backfill-estimate" aria-live="polite">
      <Grid.Root gap={3}>
        {[
          { id: 'matched', label: t('backfills.matched', 'Entries matched'), value: intl.formatNumber(backfill.matched) },
          { id: 'to-queue', label: t('backfills.to-queue', 'Jobs to queue'), value: intl.formatNumber(backfill.toQueue) },
          { id: 'skipped', label: t('backfills.skipped', 'Skipped'), value: intl.formatNumber(skipped) },
          { id: 'estimated', label: t('backfills.estimated', 'Estimated cost'), value: formatCost(intl, backfill.estimatedUsd) },
        ].map((figure) => (
          <Grid.Item key={figure.id} col={3} s={6} direction="column" alignItems="stretch">
            <Figure label={figure.label} value={figure.value} testId={`estimate-${figure.id}`} />
          </Grid.Item>
        ))}
      </Grid.Root>
      {skipped > 0 && (
        <Typography variant="pi" textColor="neutral600">
          {t('backfills.skipped-detail', 'Skipped: {duplicate} already have an identical job, {hasImage} already have an image, {other} for other reasons.', { ...backfill.skipped })}
        </Typography>
      )}
      {backfill.unpricedJobs > 0 && (
        <Typography variant="pi" textColor="warning600">
          {t('backfills.unpriced', '{count} jobs have no price in the provider\'s table: the cost is not counted for them.', { count: backfill.unpricedJobs })}
        </Typography>
      )}
    </Flex>
  );
};

/**
 * New backfill: rule, entry filter, locale -> "Estimate" (a dry run, nothing queued) -> "Start" on that very
 * estimate. Changing an input drops the estimate, so what starts is always what was estimated.
 */
export const BackfillForm = () => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const navigate = useNavigate();
  const feedback = useFeedback();
  const rules = useRules();
  const create = useCreateBackfill();
  const start = useStartBackfill();
  const [ruleId, setRuleId] = React.useState('');
  const [filtersText, setFiltersText] = React.useState('{}');
  const [locale, setLocale] = React.useState('');
  const [mode, setMode] = React.useState<'sync' | 'batch'>('sync');
  const [estimateId, setEstimateId] = React.useState<number | null>(null);
  const estimate = useBackfill(estimateId);

  const rule = rules.data?.find((candidate) => candidate.id === ruleId);
  // Batch mode is offered only where the rule's provider has a Batch API.
  const effectiveMode = rule?.batchAvailable ? mode : 'sync';
  const parsed = parseFilters(filtersText);
  const filtersError =
    parsed.error === 'object'
      ? t('backfills.filters-object', 'The filter must be a JSON object (field names and conditions).')
      : parsed.error
        ? t('backfills.filters-json', 'This is not valid JSON.')
        : undefined;

  const edit = <T,>(setter: (value: T) => void) => (value: T) => {
    setter(value);
    setEstimateId(null);
  };

  const runEstimate = () => {
    if (!ruleId || !parsed.filters) return;
    create.mutate(
      { ruleId, filters: parsed.filters, locale: locale.trim() || undefined, mode: effectiveMode, dryRun: true },
      { onSuccess: (backfill) => setEstimateId(backfill.id), onError: feedback.failure }
    );
  };

  const runStart = () => {
    if (estimateId === null) return;
    start.mutate(estimateId, {
      onSuccess: (backfill) => {
        feedback.success('backfills.started', 'Backfill #{id} started', { id: backfill.id });
        navigate(backfillPath(backfill.id));
      },
      onError: feedback.failure,
    });
  };

  const ready = estimate.data?.status === 'ready';
  return (
    <Section title={t('backfills.new', 'New backfill')} testId="backfill-form">
      <Typography textColor="neutral600">
        {t('backfills.intro', 'Runs a rule over every entry that matches the filter. Estimate first: nothing is queued or paid until you start.')}
      </Typography>
      <Grid.Root gap={4}>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root name="rule" required>
            <Field.Label>{t('backfills.rule', 'Rule')}</Field.Label>
            <TestIdSelect
              testId="backfill-rule"
              placeholder={t('backfills.rule-placeholder', 'Pick a rule')}
              value={ruleId}
              onChange={(value) => {
                const picked = rules.data?.find((candidate) => candidate.id === String(value));
                setMode(picked?.mode === 'batch' ? 'batch' : 'sync');
                edit(setRuleId)(String(value));
              }}
            >
              {(rules.data ?? []).map((candidate) => (
                <SingleSelectOption key={candidate.id} value={candidate.id}>
                  {`${candidate.id} (${candidate.contentType} → ${candidate.target})`}
                </SingleSelectOption>
              ))}
            </TestIdSelect>
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root name="locale" hint={t('backfills.locale-hint', 'Empty: every locale of the rule.')}>
            <Field.Label>{t('backfills.locale', 'Locale')}</Field.Label>
            <TextInput data-testid="backfill-locale" value={locale} onChange={(event: React.ChangeEvent<HTMLInputElement>) => edit(setLocale)(event.target.value)} />
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
        {rule?.batchAvailable && (
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Field.Root name="mode" hint={t('backfills.mode-hint', 'Batch: half the price, images arrive within 24 hours.')}>
              <Field.Label>{t('backfills.mode', 'Mode')}</Field.Label>
              <TestIdSelect testId="backfill-mode" value={mode} onChange={(value) => edit(setMode)(value === 'batch' ? 'batch' : 'sync')}>
                <SingleSelectOption value="sync">{t('backfills.mode-sync', 'One call per image')}</SingleSelectOption>
                <SingleSelectOption value="batch">{t('backfills.mode-batch', 'OpenAI batch (50% price, within 24 h)')}</SingleSelectOption>
              </TestIdSelect>
              <Field.Hint />
            </Field.Root>
          </Grid.Item>
        )}
      </Grid.Root>
      <Field.Root
        name="filters"
        error={filtersError}
        hint={t('backfills.filters-hint', 'Strapi filter syntax as JSON, for example {example}. An empty object matches every entry.', {
          example: '{ "title": { "$startsWith": "Kettle" } }',
        })}
      >
        <Field.Label>{t('backfills.filters', 'Entry filter (JSON)')}</Field.Label>
        <Textarea
          data-testid="backfill-filters"
          value={filtersText}
          onChange={(event) => edit(setFiltersText)(event.target.value)}
          style={{ fontFamily: 'monospace' }}
        />
        <Field.Error />
        <Field.Hint />
      </Field.Root>
      <Flex gap={2} wrap="wrap">
        <Button
          variant="tertiary"
          size="S"
          disabled={!rule}
          data-testid="backfill-preset-empty"
          onClick={() => rule && edit(setFiltersText)(JSON.stringify({ [rule.target]: { $null: true } }, null, 2))}
        >
          {t('backfills.preset-empty', 'Only entries whose target is empty')}
        </Button>
      </Flex>
      {create.isError && <InlineError error={create.error} testId="backfill-form-error" />}
      {estimate.isError && <InlineError error={estimate.error} testId="backfill-form-error" />}
      {estimate.data?.status === 'estimating' && (
        <Typography textColor="neutral600" aria-live="polite" data-testid="backfill-estimating">
          {t('backfills.estimating', 'Counting the matching entries…')}
        </Typography>
      )}
      {estimate.data && estimate.data.status !== 'estimating' && <Estimate backfill={estimate.data} />}
      {estimate.data?.errorMessage && <Typography textColor="danger600">{estimate.data.errorMessage}</Typography>}
      <Flex gap={2}>
        <Button
          variant="secondary"
          onClick={runEstimate}
          loading={create.isLoading}
          disabled={!ruleId || Boolean(parsed.error)}
          data-testid="backfill-estimate-button"
        >
          {t('backfills.estimate', 'Estimate')}
        </Button>
        <Button onClick={runStart} loading={start.isLoading} disabled={!ready || estimate.data?.toQueue === 0} data-testid="backfill-start">
          {estimate.data && ready
            ? t('backfills.start-count', 'Start: queue {count} jobs for about {cost}', {
                count: estimate.data.toQueue,
                cost: formatCost(intl, estimate.data.estimatedUsd),
              })
            : t('backfills.start', 'Start')}
        </Button>
      </Flex>
    </Section>
  );
};
