import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { getErrorMessage } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';

/** Toasts for mutations: the server's reason on failure (409 / 400 say why), a short line on success. */
export const useFeedback = () => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  return {
    success: (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
      toggleNotification({ type: 'success', message: formatMessage({ id: getTranslation(id), defaultMessage }, values) }),
    info: (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
      toggleNotification({ type: 'info', message: formatMessage({ id: getTranslation(id), defaultMessage }, values) }),
    failure: (error: unknown) =>
      toggleNotification({
        type: 'danger',
        message: getErrorMessage(
          error,
          formatMessage({ id: getTranslation('state.error'), defaultMessage: 'Something went wrong.' })
        ),
      }),
  };
};
