import { Box, Flex } from '@strapi/design-system';
import { Image } from '@strapi/icons';

import type { JobView } from '../../types';
import { mediaUrl } from '../../utils/mediaUrl';

/** Small preview of a job's result, or a neutral placeholder while there is none. */
export const JobThumbnail = ({ job, size = 48, alt }: { job: JobView; size?: number; alt: string }) => {
  const src = mediaUrl(job.result?.thumbnailUrl || job.result?.url);
  return (
    <Flex
      width={`${size}px`}
      height={`${size}px`}
      background="neutral150"
      hasRadius
      justifyContent="center"
      alignItems="center"
      overflow="hidden"
      shrink={0}
    >
      {src ? (
        <Box
          tag="img"
          src={src}
          alt={alt}
          loading="lazy"
          width="100%"
          height="100%"
          style={{ objectFit: 'cover' }}
        />
      ) : (
        <Image aria-hidden width="20px" height="20px" fill="neutral500" />
      )}
    </Flex>
  );
};
