import { Box, SingleSelect, type SingleSelectProps } from '@strapi/design-system';

/**
 * Strapi's SingleSelect hands data-* props to a Radix root that renders no element, so a test id on it never
 * reaches the page: this one sits on a wrapper around the select's trigger.
 */
export const TestIdSelect = ({ testId, ...props }: SingleSelectProps & { testId: string }) => (
  <Box data-testid={testId}>
    <SingleSelect {...props} />
  </Box>
);
