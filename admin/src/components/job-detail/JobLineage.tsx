import { Flex, Link, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import type { JobDetail, JobView } from '../../types';
import { jobPath } from '../../utils/entryLink';
import { getTranslation } from '../../utils/getTranslation';
import { Section } from '../common/Section';
import { StatusBadge } from '../common/StatusBadge';

const JobLink = ({ job, testId }: { job: JobView; testId: string }) => {
  const { formatMessage } = useIntl();
  return (
    <Flex gap={2} data-testid={testId}>
      <Link tag={NavLink} to={jobPath(job.id)}>
        {formatMessage(
          { id: getTranslation('detail.job-link'), defaultMessage: 'Job #{id} ({operation, select, edit {edit} other {generate}})' },
          { id: job.id, operation: job.operation }
        )}
      </Link>
      <StatusBadge status={job.status} />
    </Flex>
  );
};

/** Where this job came from (regenerate / edit of a parent) and what was made from it. */
export const JobLineage = ({ job }: { job: JobDetail }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  return (
    <Section title={t('detail.lineage', 'Lineage')} testId="job-lineage">
      <Typography variant="sigma" tag="h3">{t('detail.parent', 'Made from')}</Typography>
      {job.parent ? (
        <JobLink job={job.parent} testId="lineage-parent" />
      ) : (
        <Typography textColor="neutral600">{t('detail.no-parent', 'Original job (made by its rule).')}</Typography>
      )}
      <Typography variant="sigma" tag="h3">{t('detail.children', 'Regenerations and edits')}</Typography>
      {job.children.length === 0 ? (
        <Typography textColor="neutral600">{t('detail.no-children', 'None yet.')}</Typography>
      ) : (
        job.children.map((child) => <JobLink key={child.id} job={child} testId={`lineage-child-${child.id}`} />)
      )}
    </Section>
  );
};
