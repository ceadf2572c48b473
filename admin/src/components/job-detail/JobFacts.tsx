import { Flex, Link, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import type { JobDetail } from '../../types';
import { entryPath } from '../../utils/entryLink';
import { formatCost, formatDateTime, formatDuration } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { Fact, JsonBlock, Section } from '../common/Section';

/** Who, what and how much: entry, rule, provider, timings, usage, cost, request id. */
export const JobFacts = ({ job }: { job: JobDetail }) => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string) => intl.formatMessage({ id: getTranslation(id), defaultMessage });
  return (
    <Section title={t('detail.facts', 'Details')} testId="job-facts">
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Fact label={t('table.entry', 'Entry')}>
          <Link tag={NavLink} to={entryPath(job.contentType, job.documentId, job.locale)} data-testid="job-entry-link">
            {job.entryTitle || job.documentId}
          </Link>
        </Fact>
        <Fact label={t('detail.locale', 'Locale')}>{job.locale ?? '—'}</Fact>
        <Fact label={t('table.content-type', 'Content type')}>{job.contentType}</Fact>
        <Fact label={t('table.rule', 'Rule')}>{job.rule}</Fact>
        <Fact label={t('detail.trigger', 'Trigger')}>
          <span data-testid="job-trigger">{t(`trigger.${job.trigger}`, job.trigger)}</span>
        </Fact>
        <Fact label={t('detail.operation', 'Operation')}>
          <span data-testid="job-operation">{t(`operation.${job.operation}`, job.operation)}</span>
        </Fact>
        <Fact label={t('detail.target-field', 'Target field')}>{job.targetField ?? '—'}</Fact>
        <Fact label={t('detail.attached', 'Attached')}>
          {job.attachedField ? `${job.attachedField} · ${formatDateTime(intl, job.attachedAt)}` : '—'}
        </Fact>
        <Fact label={t('table.provider', 'Provider / model')}>{[job.provider, job.model].filter(Boolean).join(' · ')}</Fact>
        <Fact label={t('detail.request-id', 'Provider request id')}>
          <span data-testid="job-request-id">{job.providerRequestId ?? '—'}</span>
        </Fact>
        <Fact label={t('table.cost', 'Cost')}>
          <span data-testid="job-cost">{formatCost(intl, job.costUsd)}</span>
        </Fact>
        <Fact label={t('table.duration', 'Duration')}>{formatDuration(intl, job.durationMs)}</Fact>
        <Fact label={t('table.age', 'Created')}>{formatDateTime(intl, job.createdAt)}</Fact>
        <Fact label={t('detail.started', 'Started')}>{formatDateTime(intl, job.startedAt)}</Fact>
        <Fact label={t('detail.finished', 'Finished')}>{formatDateTime(intl, job.finishedAt)}</Fact>
        <Fact label={t('detail.alt-text', 'Alternative text')}>{job.altText ?? '—'}</Fact>
      </Flex>
      <Typography variant="sigma" tag="h3">{t('detail.usage', 'Usage')}</Typography>
      <JsonBlock value={job.usage} label={t('detail.usage', 'Usage')} testId="job-usage" />
    </Section>
  );
};
