import { Checkbox, Flex, IconButton, Link, Table, Tbody, Td, Th, Thead, Tr, Typography, VisuallyHidden } from '@strapi/design-system';
import { Eye } from '@strapi/icons';
import type * as React from 'react';
import { useIntl } from 'react-intl';
import { NavLink, useNavigate } from 'react-router-dom';

import type { JobView } from '../../types';
import { entryPath, jobPath } from '../../utils/entryLink';
import { formatCost, formatDuration, formatRelative } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { JobThumbnail } from '../common/JobThumbnail';
import { StatusBadge } from '../common/StatusBadge';

interface JobsTableProps {
  jobs: JobView[];
  contentTypeNames: Record<string, string>;
  /** Only editors who may review can select rows (bulk approve / reject). */
  selectable: boolean;
  selectedIds: number[];
  onSelectionChange: (ids: number[]) => void;
}

/** Only jobs waiting for an editor can be bulk approved or rejected. */
export const isSelectable = (job: JobView) => job.status === 'awaiting_review';

// Clicks on links and checkboxes must not also open the row.
const stop = (event: React.MouseEvent) => event.stopPropagation();

export const JobsTable = ({ jobs, contentTypeNames, selectable, selectedIds, onSelectionChange }: JobsTableProps) => {
  const intl = useIntl();
  const navigate = useNavigate();
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    intl.formatMessage({ id: getTranslation(id), defaultMessage }, values);

  const selectableIds = jobs.filter(isSelectable).map((job) => job.id);
  const allSelected = selectableIds.length > 0 && selectableIds.every((id) => selectedIds.includes(id));
  const someSelected = selectedIds.length > 0 && !allSelected;
  const toggle = (id: number, checked: boolean) =>
    onSelectionChange(checked ? [...selectedIds, id] : selectedIds.filter((selected) => selected !== id));

  return (
    <Table colCount={selectable ? 10 : 9} rowCount={jobs.length + 1} data-testid="jobs-table">
      <Thead>
        <Tr>
          {selectable && (
            <Th>
              <Checkbox
                aria-label={t('table.select-all', 'Select all jobs awaiting review')}
                data-testid="select-all"
                disabled={selectableIds.length === 0}
                checked={someSelected ? 'indeterminate' : allSelected}
                onCheckedChange={(checked) => onSelectionChange(checked === true ? selectableIds : [])}
              />
            </Th>
          )}
          <Th><VisuallyHidden>{t('table.preview', 'Preview')}</VisuallyHidden></Th>
          <Th><Typography variant="sigma">{t('table.entry', 'Entry')}</Typography></Th>
          <Th><Typography variant="sigma">{t('table.content-type-rule', 'Content type / rule')}</Typography></Th>
          <Th><Typography variant="sigma">{t('table.status', 'Status')}</Typography></Th>
          <Th><Typography variant="sigma">{t('table.provider', 'Provider / model')}</Typography></Th>
          <Th><Typography variant="sigma">{t('table.cost', 'Cost')}</Typography></Th>
          <Th><Typography variant="sigma">{t('table.duration', 'Duration')}</Typography></Th>
          <Th><Typography variant="sigma">{t('table.age', 'Created')}</Typography></Th>
          <Th><VisuallyHidden>{t('table.actions', 'Actions')}</VisuallyHidden></Th>
        </Tr>
      </Thead>
      <Tbody>
        {jobs.map((job) => {
          const title = job.entryTitle || job.documentId;
          return (
            <Tr
              key={job.id}
              data-testid={`job-row-${job.id}`}
              onClick={() => navigate(jobPath(job.id))}
              style={{ cursor: 'pointer' }}
            >
              {selectable && (
                <Td onClick={stop}>
                  <Checkbox
                    aria-label={t('table.select', 'Select job {id}', { id: job.id })}
                    data-testid={`select-job-${job.id}`}
                    disabled={!isSelectable(job)}
                    checked={selectedIds.includes(job.id)}
                    onCheckedChange={(checked) => toggle(job.id, checked === true)}
                  />
                </Td>
              )}
              <Td>
                <JobThumbnail job={job} alt={t('table.thumbnail-alt', 'Result for {title}', { title })} />
              </Td>
              <Td onClick={stop} style={{ maxWidth: '240px' }}>
                {/* Long titles are cut to one line; the full title shows on hover. */}
                <Link
                  tag={NavLink}
                  to={entryPath(job.contentType, job.documentId, job.locale)}
                  data-testid={`job-entry-link-${job.id}`}
                  title={title}
                  style={{ display: 'inline-block', maxWidth: '200px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', verticalAlign: 'bottom' }}
                >
                  {title}
                </Link>
                {job.locale && (
                  <Typography variant="pi" textColor="neutral600"> ({job.locale})</Typography>
                )}
              </Td>
              {/* Two short lines rather than two columns: the list fits 1440 px with its actions column. */}
              <Td>
                <Flex direction="column" alignItems="flex-start">
                  <Typography>{contentTypeNames[job.contentType] ?? job.contentType}</Typography>
                  <Typography variant="pi" textColor="neutral600">{job.rule}</Typography>
                </Flex>
              </Td>
              <Td><StatusBadge status={job.status} jobId={job.id} /></Td>
              <Td>
                <Flex direction="column" alignItems="flex-start">
                  <Typography>{job.provider}</Typography>
                  {job.model && <Typography variant="pi" textColor="neutral600">{job.model}</Typography>}
                </Flex>
              </Td>
              <Td><Typography>{formatCost(intl, job.costUsd)}</Typography></Td>
              <Td><Typography>{formatDuration(intl, job.durationMs)}</Typography></Td>
              <Td>
                <Typography title={job.createdAt}>{formatRelative(intl, job.createdAt)}</Typography>
              </Td>
              <Td onClick={stop}>
                <IconButton
                  tag={NavLink}
                  to={jobPath(job.id)}
                  label={t('table.open', 'Open job {id}', { id: job.id })}
                  data-testid={`job-open-${job.id}`}
                  variant="ghost"
                >
                  <Eye />
                </IconButton>
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
};
