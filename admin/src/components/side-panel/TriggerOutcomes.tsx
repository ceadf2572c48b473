import { Flex, Link, Typography } from '@strapi/design-system';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import { useTriggerOutcomes } from '../../hooks/useTriggerOutcomes';
import type { TriggerOutcomeView } from '../../types';
import { jobPath } from '../../utils/entryLink';
import { formatRelative } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { InlineError } from '../common/States';

interface TriggerOutcomesProps {
  model: string;
  documentId: string;
  locale?: string;
  savedAt?: string;
  ruleIds: string[];
}

/** Why no job was queued, per outcome code (queued and duplicate name their job instead). */
const SKIP_MESSAGES: Record<Exclude<TriggerOutcomeView['outcome'], 'queued' | 'duplicate'>, string> = {
  target_set: 'No job: the target field already has an image (the rule only fills empty fields).',
  locale_filtered: 'No job: the rule does not run for this locale.',
  no_source: 'No job: the source field has no image to edit.',
  not_planned: 'No job: {reason}',
  failed: 'No job: queueing failed (the server log says why).',
};

/** The latest outcome of a rule; without a locale filter, the newest of all locales. */
function latestOf(outcomes: TriggerOutcomeView[] | undefined, ruleId: string): TriggerOutcomeView | undefined {
  return outcomes?.filter((outcome) => outcome.rule === ruleId).sort((a, b) => b.recordedAt.localeCompare(a.recordedAt))[0];
}

/** Per rule: whether the entry's last save or publish queued a job, and if not, why. */
export const TriggerOutcomes = ({ model, documentId, locale, savedAt, ruleIds }: TriggerOutcomesProps) => {
  const intl = useIntl();
  // Values may be links: react-intl then answers an array of nodes instead of a string.
  const t = (id: string, defaultMessage: string, values?: Record<string, React.ReactNode>): React.ReactNode =>
    intl.formatMessage({ id: getTranslation(id), defaultMessage }, values as never);
  const outcomes = useTriggerOutcomes({ contentType: model, documentId, locale }, savedAt);
  if (outcomes.isError) return <InlineError error={outcomes.error} testId="trigger-outcomes-error" />;
  if (!outcomes.data) return null;

  const jobLink = (id: number) => (
    <Link tag={NavLink} to={jobPath(id)} key={id}>
      #{id}
    </Link>
  );

  const describe = (outcome: TriggerOutcomeView): React.ReactNode => {
    if (outcome.outcome === 'queued' && outcome.jobId !== null) {
      return outcome.job?.waitReason
        ? t('outcomes.queued-held', 'Queued job {job}, held: {reason}', { job: jobLink(outcome.jobId), reason: outcome.job.waitReason })
        : t('outcomes.queued', 'Queued job {job}.', { job: jobLink(outcome.jobId) });
    }
    if (outcome.outcome === 'duplicate' && outcome.jobId !== null) {
      return t('outcomes.duplicate', 'No new job: same inputs as job {job}.', { job: jobLink(outcome.jobId) });
    }
    const code = outcome.outcome as keyof typeof SKIP_MESSAGES;
    return t(`outcomes.${code}`, SKIP_MESSAGES[code] ?? outcome.outcome, { reason: outcome.reason ?? '' });
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid="trigger-outcomes">
      <Typography variant="sigma" textColor="neutral600">
        {t('outcomes.title', 'Last save or publish')}
      </Typography>
      {ruleIds.map((ruleId) => {
        const outcome = latestOf(outcomes.data, ruleId);
        return (
          <Flex key={ruleId} direction="column" alignItems="flex-start" gap={1} data-testid={`trigger-outcome-${ruleId}`} data-outcome={outcome?.outcome ?? 'none'}>
            <Typography variant="omega" fontWeight="semiBold">{ruleId}</Typography>
            <Typography variant="pi" textColor={outcome && !['queued', 'duplicate'].includes(outcome.outcome) ? 'warning600' : 'neutral800'}>
              {outcome ? describe(outcome) : t('outcomes.none', 'Not triggered yet by a save or publish of this entry.')}
            </Typography>
            {outcome && (
              <Typography variant="pi" textColor="neutral600">
                {t(`outcomes.event.${outcome.event}`, outcome.event)} · {formatRelative(intl, outcome.recordedAt)}
              </Typography>
            )}
          </Flex>
        );
      })}
    </Flex>
  );
};
