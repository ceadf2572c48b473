/** URL options of provider types: http(s) only, and never with credentials in them. */
import { z } from 'zod';

/** `https://user:pass@host` would be dropped silently by the HTTP client (and leak into logs): refuse it. */
function hasNoCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

export function urlOption(protocol: RegExp = /^https?$/) {
  return z.url({ protocol }).refine(hasNoCredentials, 'must not contain credentials (user:password@); put the key in apiKey');
}
