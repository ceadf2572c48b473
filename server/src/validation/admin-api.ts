/** zod schemas for every admin request body and query; the one place API input is validated. */
import { z } from 'zod';
import { errors } from '@strapi/utils';
import { JOB_STATUSES } from '../queue/statuses';
import { describeIssues } from '../config/schema';
import { MAX_MASK_BYTES } from './mask-upload';

const idParam = z.coerce.number().int().positive();
const documentId = z.string().min(1).max(64);
const locale = z.string().min(1).max(32);
const promptText = z.string().trim().min(1).max(32000);
const params = z.record(z.string(), z.unknown());
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A mask is a PNG: a multipart file (Buffer, see mask-upload.ts) or a data URL in a JSON body. */
const maskInput = z
  .union([
    z.instanceof(Buffer),
    z
      .string()
      .regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, 'must be a PNG file or a PNG data URL (data:image/png;base64,...)')
      .transform((value) => Buffer.from(value.slice(value.indexOf(',') + 1), 'base64')),
  ])
  .refine((buffer) => buffer.length <= MAX_MASK_BYTES, 'must be at most 4 MB')
  .refine((buffer) => buffer.subarray(0, 8).equals(PNG_SIGNATURE), 'must be a PNG');

export const schemas = {
  id: idParam,
  listQuery: z
    .object({
      status: z
        .string()
        .transform((value) => value.split(',').filter(Boolean))
        .pipe(z.array(z.enum(JOB_STATUSES)))
        .optional(),
      contentType: z.string().max(200).optional(),
      documentId: documentId.optional(),
      locale: locale.optional(),
      rule: z.string().max(100).optional(),
      search: z.string().trim().max(200).optional(),
      from: z.coerce.date().optional(),
      to: z.coerce.date().optional(),
      page: z.coerce.number().int().min(1).default(1),
      pageSize: z.coerce.number().int().min(1).max(100).default(20),
    })
    .strict(),
  /** `candidate`: 0-based position among the job's candidates (default: the current pick). */
  approve: z.object({ field: z.string().min(1).max(100).optional(), candidate: z.number().int().min(0).max(99).optional() }).strict(),
  candidateIndex: z.coerce.number().int().min(0).max(99),
  revert: z.object({ field: z.string().min(1).max(100).optional() }).strict(),
  historyQuery: z
    .object({ contentType: z.string().min(1).max(200), documentId, locale: locale.optional(), field: z.string().min(1).max(100).optional() })
    .strict(),
  reject: z.object({ reason: z.string().max(1000).optional() }).strict(),
  bulk: z.object({ action: z.enum(['approve', 'reject']), ids: z.array(idParam).min(1).max(100) }).strict(),
  regenerate: z.object({ prompt: promptText.optional(), params: params.optional() }).strict(),
  edit: z
    .object({
      prompt: promptText,
      source: z.enum(['result', 'entry']).default('result'),
      mask: maskInput.optional(),
    })
    .strict(),
  runRule: z
    .object({ documentId, locale: locale.nullable().optional(), dryRun: z.boolean().default(false), force: z.boolean().default(false) })
    .strict(),
  createBackfill: z
    .object({
      ruleId: z.string().min(1).max(100),
      filters: z.record(z.string(), z.unknown()).optional(),
      locale: locale.nullable().optional(),
      onlyIfEmpty: z.boolean().optional(),
      /** Omitted: the rule's own mode. */
      mode: z.enum(['sync', 'batch']).optional(),
      dryRun: z.boolean().default(false),
    })
    .strict(),
  rulesQuery: z.object({ contentType: z.string().max(200).optional() }).strict(),
};

/** Parses or throws a Strapi ValidationError (HTTP 400) whose message names the field. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, where: string): z.infer<Schema> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = describeIssues(result.error.issues, [where]);
  throw new errors.ValidationError(issues.join('; '), { errors: result.error.issues.map((issue) => ({ path: issue.path, message: issue.message })) });
}
