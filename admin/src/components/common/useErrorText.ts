import { useIntl } from 'react-intl';

import { getTranslation } from '../../utils/getTranslation';

/** Provider error codes (server/src/providers/errors.ts) in words an editor understands. */
export const useErrorText = () => {
  const { formatMessage } = useIntl();
  return (code: string | null | undefined, serverMessage?: string | null) => {
    const plain = formatMessage({
      id: getTranslation(`error.code.${code ?? 'unknown'}`),
      defaultMessage: serverMessage || code || 'Unknown error',
    });
    return serverMessage && serverMessage !== plain ? `${plain} (${serverMessage})` : plain;
  };
};
