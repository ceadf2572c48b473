/** Option pieces shared by the OpenAI-shaped provider types. */
import type { Dispatcher } from 'undici';
import { z } from 'zod';

/** Hosts resolve keys from env at config time; an unset variable arrives as "" and means "missing". */
export const apiKeyOption = z.preprocess((value) => (value === '' || value === null ? undefined : value), z.string().min(1).optional());

export const timeoutOption = z.number().int().min(1).max(3_600_000).default(300_000);

/** Transport override for tests and proxies; not something a config file sets. */
export const dispatcherOption = z
  .custom<Dispatcher>((value) => typeof value === 'object' && value !== null && typeof (value as Dispatcher).dispatch === 'function', {
    message: 'must be an undici Dispatcher',
  })
  .optional();

/**
 * Partial frames to ask for by default (the API's `partial_images`, 0-3): more than 0 streams the answer so
 * editors watch the image being made. Each frame costs about 100 extra output tokens, so the default is off.
 */
export const partialImagesOption = z.number().int().min(0).max(3).default(0);
