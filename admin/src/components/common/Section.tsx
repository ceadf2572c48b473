import { Box, Flex, Typography } from '@strapi/design-system';
import type * as React from 'react';

/** A titled white card, the unit the detail and settings pages are made of. */
export const Section = ({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) => (
  <Box tag="section" background="neutral0" hasRadius shadow="tableShadow" padding={6} data-testid={testId}>
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography variant="delta" tag="h2">
        {title}
      </Typography>
      {children}
    </Flex>
  </Box>
);

/** Pretty-printed JSON, scrollable, selectable for copy. */
export const JsonBlock = ({ value, label, testId }: { value: unknown; label: string; testId?: string }) => (
  <Box
    tag="pre"
    aria-label={label}
    background="neutral100"
    padding={3}
    hasRadius
    overflow="auto"
    maxHeight="240px"
    data-testid={testId}
    style={{ fontFamily: 'monospace', fontSize: '12px', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
  >
    {JSON.stringify(value ?? {}, null, 2)}
  </Box>
);

/** A label / value line in a fact list. */
export const Fact = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <Flex gap={2} alignItems="baseline" wrap="wrap">
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    <Typography variant="omega">{children}</Typography>
  </Flex>
);
