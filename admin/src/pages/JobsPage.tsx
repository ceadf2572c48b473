import { Box, Flex, LinkButton, Typography } from '@strapi/design-system';
import { ArrowsCounterClockwise } from '@strapi/icons';
import { Layouts, Page, Pagination, useQueryParams, useRBAC } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import { InlineEmpty, InlineError, InlineLoading } from '../components/common/States';
import { BulkActions } from '../components/jobs/BulkActions';
import { JobsFilters, type JobsFilterValues } from '../components/jobs/JobsFilters';
import { JobsTable } from '../components/jobs/JobsTable';
import { useContentTypes } from '../hooks/useContentTypes';
import { useJobs } from '../hooks/useJobs';
import { useRules } from '../hooks/useRules';
import { useStats } from '../hooks/useStats';
import { PERMISSIONS } from '../permissions';
import { IN_FLIGHT_STATUSES, type JobFilters } from '../types';
import { backfillsPath } from '../utils/entryLink';
import { getTranslation } from '../utils/getTranslation';

type JobsQuery = Partial<JobsFilterValues> & { page?: string; pageSize?: string; _q?: string };

const DEFAULT_PAGE_SIZE = 20;

/** Local day boundaries -> ISO instants the server compares createdAt with. */
const dayStart = (day?: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);
const dayEnd = (day?: string) => (day ? new Date(`${day}T23:59:59.999`).toISOString() : undefined);

export const JobsPage = () => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const [{ query }, setQuery] = useQueryParams<JobsQuery>();
  const { allowedActions } = useRBAC(PERMISSIONS.actions);
  const [selectedIds, setSelectedIds] = React.useState<number[]>([]);

  const stats = useStats();
  const contentTypes = useContentTypes();
  const rules = useRules();

  // With no status in the URL, open on the review queue when something waits for an editor.
  const awaiting = stats.data?.counts.awaiting_review ?? 0;
  const status = query.status ?? (awaiting > 0 ? 'awaiting_review' : 'all');
  const filters: JobFilters = {
    status: status === 'all' ? undefined : status,
    contentType: query.contentType || undefined,
    rule: query.rule || undefined,
    search: query._q || undefined,
    from: dayStart(query.from),
    to: dayEnd(query.to),
    page: Number(query.page) || 1,
    pageSize: Number(query.pageSize) || DEFAULT_PAGE_SIZE,
  };
  const jobs = useJobs(filters, { enabled: query.status !== undefined || !stats.isLoading });

  // A selection only makes sense for the rows on screen.
  const visibleKey = jobs.data?.results.map((job) => `${job.id}:${job.status}`).join(',');
  React.useEffect(() => setSelectedIds([]), [visibleKey]);

  const onFiltersChange = (next: Partial<JobsFilterValues>) => {
    const encoded = Object.fromEntries(
      Object.entries(next).map(([key, value]) => [key, value ? encodeURIComponent(value) : undefined])
    );
    setQuery({ ...encoded, page: '1' });
  };

  const contentTypeNames = Object.fromEntries((contentTypes.data ?? []).map((ct) => [ct.uid, ct.displayName]));
  const pagination = jobs.data?.pagination;

  return (
    <Page.Main>
      <Page.Title>{t('plugin.name', 'AI Assets')}</Page.Title>
      <Layouts.Header
        title={t('plugin.name', 'AI Assets')}
        subtitle={t('jobs.subtitle', 'Review, regenerate and attach generated images')}
        primaryAction={
          allowedActions.canReview ? (
            <BulkActions selectedIds={selectedIds} onDone={() => setSelectedIds([])} />
          ) : undefined
        }
        secondaryAction={
          allowedActions.canBackfill ? (
            <LinkButton tag={NavLink} to={backfillsPath} variant="tertiary" size="S" startIcon={<ArrowsCounterClockwise />} data-testid="open-backfills">
              {t('backfills.open', 'Backfill')}
            </LinkButton>
          ) : undefined
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <JobsFilters
            values={{
              status,
              contentType: query.contentType ?? '',
              rule: query.rule ?? '',
              from: query.from ?? '',
              to: query.to ?? '',
            }}
            contentTypes={contentTypes.data ?? []}
            rules={rules.data ?? []}
            onChange={onFiltersChange}
          />
          {jobs.isLoading || (stats.isLoading && query.status === undefined) ? (
            <InlineLoading />
          ) : jobs.isError ? (
            <InlineError error={jobs.error} testId="jobs-error" />
          ) : !jobs.data || jobs.data.results.length === 0 ? (
            <InlineEmpty message={t('jobs.empty', 'No jobs match these filters.')} testId="jobs-empty" />
          ) : (
            <Box>
              <JobsTable
                jobs={jobs.data.results}
                contentTypeNames={contentTypeNames}
                selectable={Boolean(allowedActions.canReview)}
                selectedIds={selectedIds}
                onSelectionChange={setSelectedIds}
              />
              {jobs.data.results.some((job) => IN_FLIGHT_STATUSES.includes(job.status)) && (
                <Typography variant="pi" textColor="neutral600" data-testid="jobs-live">
                  {t('jobs.live', 'Jobs in progress: this list updates every 2 seconds.')}
                </Typography>
              )}
            </Box>
          )}
          {pagination && pagination.total > 0 && (
            <Pagination.Root
              pageCount={pagination.pageCount}
              total={pagination.total}
              defaultPageSize={DEFAULT_PAGE_SIZE}
            >
              <Pagination.PageSize options={['10', '20', '50', '100']} />
              <Pagination.Links />
            </Pagination.Root>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
