/** Validating rule params at call time, with the same editor-readable message everywhere. */
import type { z } from 'zod';
import { InvalidRequestError } from '../errors';

export function parseParamsOrThrow<T>(schema: z.ZodType<T>, raw: Record<string, unknown> | undefined): T {
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidRequestError(`Invalid image settings: ${issue.path.join('.') || 'params'} ${issue.message}.`, { providerCode: 'invalid_params' });
}
