import type { PanelComponent } from '@strapi/content-manager/strapi-admin';
import { useQueryParams, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { useContentTypes } from '../../hooks/useContentTypes';
import { PERMISSIONS } from '../../permissions';
import { getTranslation } from '../../utils/getTranslation';
import { SidePanelContent } from './SidePanelContent';

type LocaleQuery = { plugins?: { i18n?: { locale?: string } } };

/**
 * Content-manager edit view panel. A "description component": called with hooks, returns
 * { title, content } or null, so it shows only on saved entries of content types that have rules.
 */
export const EditViewPanel: PanelComponent = ({ model, documentId, collectionType, document }) => {
  const { formatMessage } = useIntl();
  const [{ query }] = useQueryParams<LocaleQuery>();
  const { allowedActions, isLoading: isLoadingPermissions } = useRBAC(PERMISSIONS.read);
  // Without read permission the request would only produce a 403.
  const contentTypes = useContentTypes({ enabled: !isLoadingPermissions && Boolean(allowedActions.canRead) });
  const contentType = contentTypes.data?.find((candidate) => candidate.uid === model);

  if (!documentId || documentId === 'create' || !contentType || contentType.rules.length === 0) return null;

  return {
    title: formatMessage({ id: getTranslation('plugin.name'), defaultMessage: 'AI Assets' }),
    content: (
      <SidePanelContent
        model={model}
        collectionType={collectionType}
        documentId={documentId}
        savedAt={(document as { updatedAt?: string } | undefined)?.updatedAt}
        locale={query.plugins?.i18n?.locale}
        ruleIds={contentType.rules}
      />
    ),
  };
};
