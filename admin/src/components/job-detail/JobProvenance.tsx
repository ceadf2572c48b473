import { Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { JobDetail } from '../../types';
import { getTranslation } from '../../utils/getTranslation';
import { Fact, Section } from '../common/Section';

/** How the stored file is labelled as AI-made, and whether the provider's own bytes (and C2PA manifest) were kept. */
export const JobProvenance = ({ job }: { job: JobDetail }) => {
  const intl = useIntl();
  const t = (id: string, defaultMessage: string) => intl.formatMessage({ id: getTranslation(id), defaultMessage });
  const provenance = job.result?.provenance;
  if (!provenance) return null;
  const sourceType = provenance.digitalSourceType.split('/').pop() ?? provenance.digitalSourceType;
  return (
    <Section title={t('provenance.title', 'Provenance')} testId="job-provenance">
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Fact label={t('provenance.source-type', 'Digital source type (IPTC)')}>
          <span data-testid="job-provenance-source-type">{sourceType}</span>
        </Fact>
        <Fact label={t('provenance.stored-bytes', 'Stored file')}>
          <Typography data-testid="job-provenance-bytes">
            {provenance.providerBytesKept
              ? t('provenance.kept', "The provider's bytes, untouched (its C2PA manifest, if any, survives)")
              : t('provenance.encoded', 'Encoded once by the plugin per the rule, with XMP provenance')}
          </Typography>
        </Fact>
        <Fact label={t('provenance.c2pa', 'C2PA manifest from the provider')}>
          {provenance.c2paManifestInSource
            ? provenance.providerBytesKept
              ? t('provenance.c2pa.kept', 'Present and kept')
              : t('provenance.c2pa.lost', 'Present in the provider file; not in the transformed file')
            : t('provenance.c2pa.none', 'None')}
        </Fact>
      </Flex>
    </Section>
  );
};
