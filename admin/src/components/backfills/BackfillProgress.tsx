import { Box, Button, Flex, Grid, ProgressBar, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { useCancelBackfill, usePauseBackfill, useResumeBackfill, useStartBackfill } from '../../hooks/useBackfillActions';
import type { BackfillView } from '../../types';
import { formatCost, formatDuration, formatRelative } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { Fact, JsonBlock, Section } from '../common/Section';
import { useFeedback } from '../common/useFeedback';
import { BackfillBatches } from './BackfillBatches';

const Count = ({ label, value, testId }: { label: string; value: number; testId: string }) => {
  const intl = useIntl();
  return (
    <Box padding={3} background="neutral100" hasRadius data-testid={testId} data-value={value}>
      <Typography variant="pi" textColor="neutral600" tag="p">{label}</Typography>
      <Typography variant="beta" tag="p">{intl.formatNumber(value)}</Typography>
    </Box>
  );
};

/** Pause / resume / cancel (or start, for an estimate nobody started yet), each shown only where it applies. */
const Controls = ({ backfill }: { backfill: BackfillView }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const feedback = useFeedback();
  const start = useStartBackfill();
  const pause = usePauseBackfill();
  const resume = useResumeBackfill();
  const cancel = useCancelBackfill();
  const options = { onError: feedback.failure };
  const busy = start.isLoading || pause.isLoading || resume.isLoading || cancel.isLoading;
  const { status } = backfill;
  return (
    <Flex gap={2}>
      {status === 'ready' && (
        <Button onClick={() => start.mutate(backfill.id, options)} loading={start.isLoading} disabled={busy} data-testid="backfill-action-start">
          {t('backfills.start', 'Start')}
        </Button>
      )}
      {status === 'running' && (
        <Button variant="secondary" onClick={() => pause.mutate(backfill.id, options)} loading={pause.isLoading} disabled={busy} data-testid="backfill-action-pause">
          {t('backfills.pause', 'Pause')}
        </Button>
      )}
      {status === 'paused' && (
        <Button onClick={() => resume.mutate(backfill.id, options)} loading={resume.isLoading} disabled={busy} data-testid="backfill-action-resume">
          {t('backfills.resume', 'Resume')}
        </Button>
      )}
      {status !== 'done' && status !== 'canceled' && (
        <Button variant="danger-light" onClick={() => cancel.mutate(backfill.id, options)} loading={cancel.isLoading} disabled={busy} data-testid="backfill-action-cancel">
          {t('backfills.cancel', 'Cancel')}
        </Button>
      )}
    </Flex>
  );
};

/** One backfill's progress, counts and money; the page polls while it runs. */
export const BackfillProgress = ({ backfill }: { backfill: BackfillView }) => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { progress } = backfill;
  const skipped = progress.skippedDuplicate + progress.skippedHasImage + progress.skippedOther;
  const done = progress.succeeded + progress.awaitingReview;
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Section title={t('backfills.progress', 'Progress')} testId="backfill-progress">
        <Flex gap={4} alignItems="center">
          <Box grow={1} data-testid="backfill-progress-bar" data-value={progress.percent}>
            <ProgressBar value={progress.percent} size="M" aria-label={t('backfills.progress', 'Progress')} />
          </Box>
          <Typography fontWeight="bold" data-testid="backfill-percent" data-value={progress.percent}>
            {intl.formatNumber(progress.percent / 100, { style: 'percent' })}
          </Typography>
        </Flex>
        <Typography textColor="neutral600" data-testid="backfill-progress-text">
          {t('backfills.progress-text', '{done} of {toQueue} jobs done · {processed} of {matched} entries looked at', {
            done: intl.formatNumber(done),
            toQueue: intl.formatNumber(backfill.toQueue),
            processed: intl.formatNumber(progress.processed),
            matched: intl.formatNumber(backfill.matched),
          })}
        </Typography>
        {backfill.status === 'running' && backfill.etaSeconds !== null && (
          <Typography data-testid="backfill-eta">
            {t('backfills.eta', 'About {duration} left at the current rate.', { duration: formatDuration(intl, backfill.etaSeconds * 1000) })}
          </Typography>
        )}
        {backfill.waitReason && (
          <Typography textColor="warning600" data-testid="backfill-wait-reason">{backfill.waitReason}</Typography>
        )}
        {backfill.errorMessage && (
          <Typography textColor="danger600" data-testid="backfill-error">{backfill.errorMessage}</Typography>
        )}
        <Controls backfill={backfill} />
      </Section>
      <BackfillBatches backfill={backfill} />
      <Section title={t('backfills.counts', 'Counts')} testId="backfill-counts">
        <Grid.Root gap={3}>
          {[
            { id: 'queued', label: t('backfills.count.queued', 'Jobs queued'), value: progress.queued },
            { id: 'waiting', label: t('backfills.count.waiting', 'Waiting'), value: progress.waiting },
            { id: 'running', label: t('backfills.count.running', 'Running'), value: progress.running },
            { id: 'succeeded', label: t('backfills.count.succeeded', 'Succeeded'), value: progress.succeeded },
            { id: 'awaiting-review', label: t('backfills.count.awaiting-review', 'Awaiting review'), value: progress.awaitingReview },
            { id: 'failed', label: t('backfills.count.failed', 'Failed'), value: progress.failed },
            { id: 'canceled', label: t('backfills.count.canceled', 'Canceled'), value: progress.canceled },
            { id: 'skipped', label: t('backfills.count.skipped', 'Skipped entries'), value: skipped },
          ].map((count) => (
            <Grid.Item key={count.id} col={3} s={6} direction="column" alignItems="stretch">
              <Count label={count.label} value={count.value} testId={`backfill-count-${count.id}`} />
            </Grid.Item>
          ))}
        </Grid.Root>
      </Section>
      <Section title={t('backfills.money', 'Money')} testId="backfill-money">
        <Fact label={t('backfills.spent', 'Spent')}>
          <span data-testid="backfill-spent">{formatCost(intl, backfill.spentUsd)}</span>
        </Fact>
        <Fact label={t('backfills.estimated', 'Estimated cost')}>
          <span data-testid="backfill-estimated">{formatCost(intl, backfill.estimatedUsd)}</span>
        </Fact>
        {backfill.budgets.map((budget) => (
          <Fact key={`${budget.label}-${budget.window}`} label={budget.label}>
            {t('backfills.budget-line', '{spent} of {cap} this {window}, resets {resets}', {
              spent: formatCost(intl, budget.spentUsd),
              cap: formatCost(intl, budget.capUsd),
              window: t(`budgets.window.${budget.window}`, budget.window === 'daily' ? 'day' : 'month'),
              resets: formatRelative(intl, budget.resetsAt),
            })}
          </Fact>
        ))}
      </Section>
      <Section title={t('backfills.definition', 'What it runs')} testId="backfill-definition">
        <Fact label={t('backfills.rule', 'Rule')}>{`${backfill.rule} (${backfill.contentType})`}</Fact>
        <Fact label={t('backfills.locale', 'Locale')}>{backfill.locale ?? t('backfills.all-locales', 'every locale of the rule')}</Fact>
        <JsonBlock value={backfill.filters} label={t('backfills.filters', 'Entry filter (JSON)')} testId="backfill-filters-json" />
      </Section>
    </Flex>
  );
};
