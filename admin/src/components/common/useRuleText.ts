import { useIntl } from 'react-intl';

import type { RuleView } from '../../types';
import { getTranslation } from '../../utils/getTranslation';

/** A rule in one readable sentence: "On publish: generate with openai into “cover”, after review." */
export const useRuleText = () => {
  const { formatMessage } = useIntl();
  return (rule: RuleView) =>
    formatMessage(
      {
        id: getTranslation('rule.summary'),
        defaultMessage:
          'On {on}: {operation, select, edit {edit the image in “{source}”} other {generate an image}} with {provider} into “{target}”{review, select, true {, after review} other {, attached at once}}{onlyIfEmpty, select, true { (only if empty)} other {}}.',
      },
      {
        // A rule with no events runs only when someone asks (side panel, API).
        on: (rule.on.length > 0 ? rule.on : ['manual'])
          .map((event) => formatMessage({ id: getTranslation(`rule.on.${event}`), defaultMessage: event }))
          .join(' / '),
        operation: rule.operation,
        source: rule.source ?? '—',
        provider: rule.provider,
        target: rule.target,
        review: String(rule.review),
        onlyIfEmpty: String(rule.onlyIfEmpty),
      }
    );
};
