import { Link, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { NavLink } from 'react-router-dom';

import type { BackfillView } from '../../types';
import { backfillPath } from '../../utils/entryLink';
import { formatCost, formatRelative } from '../../utils/format';
import { getTranslation } from '../../utils/getTranslation';
import { BackfillStatusBadge } from './BackfillStatusBadge';

/** Recent backfills, newest first, each linking to its progress view. */
export const BackfillsTable = ({ backfills }: { backfills: BackfillView[] }) => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string) => intl.formatMessage({ id: getTranslation(id), defaultMessage });
  return (
    <Table colCount={7} rowCount={backfills.length + 1}>
      <Thead>
        <Tr>
          <Th><Typography variant="sigma">#</Typography></Th>
          <Th><Typography variant="sigma">{t('backfills.rule', 'Rule')}</Typography></Th>
          <Th><Typography variant="sigma">{t('backfills.status', 'Status')}</Typography></Th>
          <Th><Typography variant="sigma">{t('backfills.progress', 'Progress')}</Typography></Th>
          <Th><Typography variant="sigma">{t('backfills.spent-estimated', 'Spent / estimated')}</Typography></Th>
          <Th><Typography variant="sigma">{t('backfills.started-by', 'Started by')}</Typography></Th>
          <Th><Typography variant="sigma">{t('backfills.created', 'Created')}</Typography></Th>
        </Tr>
      </Thead>
      <Tbody>
        {backfills.map((backfill) => (
          <Tr key={backfill.id} data-testid={`backfill-row-${backfill.id}`}>
            <Td>
              <Link tag={NavLink} to={backfillPath(backfill.id)} data-testid={`backfill-link-${backfill.id}`}>
                {`#${backfill.id}`}
              </Link>
            </Td>
            <Td><Typography>{backfill.rule}</Typography></Td>
            <Td><BackfillStatusBadge status={backfill.status} backfillId={backfill.id} /></Td>
            <Td><Typography>{intl.formatNumber(backfill.progress.percent / 100, { style: 'percent' })}</Typography></Td>
            <Td>
              <Typography>{`${formatCost(intl, backfill.spentUsd)} / ${formatCost(intl, backfill.estimatedUsd)}`}</Typography>
            </Td>
            <Td><Typography data-testid={`backfill-started-by-${backfill.id}`}>{backfill.createdByName ?? '—'}</Typography></Td>
            <Td><Typography>{formatRelative(intl, backfill.createdAt)}</Typography></Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
