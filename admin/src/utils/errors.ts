import { isFetchError } from '@strapi/strapi/admin';

/** The server's own reason (validation message, 409 reason) when there is one. */
export const getErrorMessage = (error: unknown, fallback: string): string => {
  if (isFetchError(error)) {
    return error.response?.data?.error?.message || error.message || fallback;
  }
  if (error instanceof Error && error.message) return error.message;
  return fallback;
};
