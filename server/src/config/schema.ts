/**
 * The plugin config contract (host app `config/plugins.ts` -> 'ai-assets'.config), validated with zod.
 * This is the one place config shape is defined; see README "Configuration".
 */
import { z } from 'zod';

export const TRIGGER_EVENTS = ['publish', 'create', 'update'] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

const kebabCase = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const contentTypeUid = /^(api|plugin)::[a-z0-9-]+\.[a-z0-9-]+$/;

export const outputSchema = z
  .object({
    format: z.enum(['webp', 'avif', 'png', 'jpeg']).default('webp'),
    quality: z.number().int().min(1).max(100).default(82),
    width: z.number().int().min(16).max(8192).optional(),
    height: z.number().int().min(16).max(8192).optional(),
    fit: z.enum(['cover', 'contain', 'inside', 'outside', 'fill']).default('cover'),
    /**
     * false: store no responsive formats (thumbnail, breakpoints) next to this file. No default, so rules
     * written before this key keep their input hash (and are not regenerated).
     */
    formats: z.boolean().optional(),
  })
  .strict();
export type OutputSpec = z.infer<typeof outputSchema>;

/** One named file cut from the same provider image; `target` defaults to the rule's (see media/rendition-plan). */
export const renditionSchema = outputSchema
  .extend({
    name: z.string().regex(kebabCase, 'must be kebab-case, e.g. "og"'),
    target: z.string().min(1).optional(),
  })
  .strict();
export type RenditionSpec = z.infer<typeof renditionSchema>;

const renditionListSchema = z
  .array(renditionSchema)
  .min(1)
  .max(8)
  .superRefine((renditions, ctx) => {
    const seen = new Set<string>();
    renditions.forEach((rendition, index) => {
      if (seen.has(rendition.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `"${rendition.name}" is used twice` });
      seen.add(rendition.name);
    });
  });

/** A rule's `output`: one output spec, or a list of named renditions made from one provider call. */
export type RuleOutput = OutputSpec | RenditionSpec[];

/** Picks the schema by shape first, so errors name the key (`output[1].format: ...`) instead of "invalid union". */
const ruleOutputSchema = z.unknown().default({}).transform((value, ctx): RuleOutput => {
  const result = Array.isArray(value) ? renditionListSchema.safeParse(value) : outputSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue(issue as never);
  return z.NEVER;
});

/** How a job reaches its provider: one synchronous call, or a line in a Batch API file. */
export const JOB_MODES = ['sync', 'batch'] as const;
export type JobMode = (typeof JOB_MODES)[number];

/** Batch mode keeps one image per job: params asking for n > 1 would pay for n images and keep one. */
export const asksForSeveralImages = (params: Record<string, unknown> | undefined): boolean => Number(params?.n ?? 1) > 1;
export const SEVERAL_IMAGES_IN_BATCH = 'must be 1 in mode "batch" (a batch job keeps one image: n > 1 would pay for n and keep one)';

export const ruleSchema = z
  .object({
    id: z.string().regex(kebabCase, 'must be kebab-case, e.g. "article-cover"'),
    contentType: z.string().regex(contentTypeUid, 'must be a content-type uid like "api::article.article"'),
    on: z.array(z.enum(TRIGGER_EVENTS)).default([]),
    onlyIfEmpty: z.boolean().default(true),
    locales: z.array(z.string().min(1)).optional(),
    operation: z.enum(['generate', 'edit']).default('generate'),
    source: z.string().min(1).optional(),
    /** For edits: a media field holding a mask (transparent = area to change), applied to the source image. */
    mask: z.string().min(1).optional(),
    provider: z.string().min(1).optional(),
    prompt: z.string().min(1).max(32000),
    params: z.record(z.string(), z.unknown()).default({}),
    output: ruleOutputSchema,
    target: z.string().min(1),
    review: z.boolean().default(false),
    altText: z.string().max(1000).optional(),
    caption: z.string().max(1000).optional(),
    folder: z.string().max(500).default('AI Assets'),
    /** `batch`: generations go through the provider's Batch API (half price, results within 24 h). */
    mode: z.enum(JOB_MODES).default('sync'),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.mode === 'batch' && rule.operation !== 'generate') {
      ctx.addIssue({ code: 'custom', path: ['mode'], message: '"batch" is only available for operation "generate"' });
    }
    if (rule.mode === 'batch' && asksForSeveralImages(rule.params)) {
      ctx.addIssue({ code: 'custom', path: ['params', 'n'], message: SEVERAL_IMAGES_IN_BATCH });
    }
    if (rule.operation === 'edit' && !rule.source) {
      ctx.addIssue({ code: 'custom', path: ['source'], message: 'is required when operation is "edit"' });
    }
    if (rule.mask && rule.operation !== 'edit') {
      ctx.addIssue({ code: 'custom', path: ['mask'], message: 'is only allowed when operation is "edit"' });
    }
    if (rule.operation === 'generate' && rule.source) {
      ctx.addIssue({ code: 'custom', path: ['source'], message: 'is only allowed when operation is "edit"' });
    }
  });
export type RuleConfig = z.infer<typeof ruleSchema>;

/** Each provider entry needs a `type`; the rest is validated by that provider type's own schema. */
export const providerEntrySchema = z.object({ type: z.string().min(1) }).passthrough();

export const queueSchema = z
  .object({
    concurrency: z.number().int().min(1).max(64).default(2),
    maxAttempts: z.number().int().min(1).max(50).default(5),
    leaseMs: z.number().int().min(1000).max(3_600_000).default(30_000),
    pollIntervalMs: z.number().int().min(50).max(600_000).default(1000),
    /** First retry delay; later ones double (with jitter) up to maxBackoffMs. */
    backoffBaseMs: z.number().int().min(0).default(2000),
    maxBackoffMs: z.number().int().min(0).default(600_000),
    /**
     * Longest provider-requested wait (retry-after, rate-limit reset) honoured. A longer hint is not believed:
     * the answer becomes a plain retryable error on the usual backoff, so one bad header cannot stall a provider.
     */
    maxRetryAfterMs: z.number().int().min(1000).max(86_400_000).default(600_000),
    /** Run the worker in this process; turn off for API-only instances. */
    worker: z.boolean().default(true),
  })
  .strict();
export type QueueConfig = z.infer<typeof queueSchema>;

/** A spending cap in USD per UTC day and/or month, for one provider, one rule, or both together. */
export const budgetSchema = z
  .object({
    provider: z.string().min(1).optional(),
    rule: z.string().min(1).optional(),
    dailyUsd: z.number().positive().optional(),
    monthlyUsd: z.number().positive().optional(),
  })
  .strict()
  .superRefine((budget, ctx) => {
    if (budget.dailyUsd === undefined && budget.monthlyUsd === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'needs dailyUsd or monthlyUsd' });
    }
  });
export type BudgetConfig = z.infer<typeof budgetSchema>;

export const backfillSchema = z
  .object({
    /** Entries read per paging step. */
    pageSize: z.number().int().min(1).max(1000).default(200),
    /** At most this many jobs of one backfill wait as `queued`: paging waits for the provider instead of racing ahead. */
    maxQueuedPerBackfill: z.number().int().min(1).max(100_000).default(200),
    /** How often each instance looks for backfill paging work. */
    tickMs: z.number().int().min(50).max(600_000).default(1000),
    /** A paging step not finished within this time (its process died) is taken over by another instance. */
    stepLeaseMs: z.number().int().min(1000).max(3_600_000).default(30_000),
  })
  .strict();
export type BackfillConfig = z.infer<typeof backfillSchema>;

/** Batch mode (OpenAI Batch API): how jobs are grouped, sent and polled. */
export const batchSchema = z
  .object({
    /** How often an open batch is asked for its status. The provider answers within 24 h: there is no point asking every second. */
    pollIntervalMs: z.number().int().min(100).max(3_600_000).default(60_000),
    /** Requests per batch file (OpenAI takes up to 50,000 and 200 MB). */
    maxJobsPerBatch: z.number().int().min(1).max(50_000).default(1000),
    /** A group smaller than maxJobsPerBatch is sent once its oldest job has waited this long for company. */
    collectMs: z.number().int().min(0).max(3_600_000).default(30_000),
    /** Submitting or reading a batch's results is held this long; a holder that died is taken over after it. */
    leaseMs: z.number().int().min(1000).max(3_600_000).default(300_000),
  })
  .strict();
export type BatchConfig = z.infer<typeof batchSchema>;

/** Limits applied to every image we decode (provider answers, sources, masks, downloads, test calls). */
export const mediaLimitsSchema = z
  .object({
    /**
     * In 8-bit RGBA pixels (16-bit images count twice). The largest real output is 3840x2160 (8.3 MP); 16 MP
     * is twice that and keeps a bomb's decoding memory under 300 MB (measured by `npm run bench -- bombs`).
     */
    maxInputPixels: z.number().int().min(1_000_000).max(268_402_689).default(16_000_000),
    /** Encoded bytes accepted per image (and per provider answer body). */
    maxInputBytes: z.number().int().min(1024 * 1024).max(1024 * 1024 * 1024).default(32 * 1024 * 1024),
    /** Wall-clock cap of one decode/convert, in seconds. */
    decodeTimeoutSeconds: z.number().int().min(1).max(600).default(60),
  })
  .strict();
export type MediaLimits = z.infer<typeof mediaLimitsSchema>;

export const retentionSchema = z
  .object({
    /** Jobs that ended (succeeded, approved, rejected, failed, canceled) longer ago than this are deleted; 0 keeps them forever. */
    jobsDays: z.number().int().min(0).max(36_500).default(90),
  })
  .strict();
export type RetentionConfig = z.infer<typeof retentionSchema>;

export const pluginConfigSchema = z
  .object({
    providers: z.record(z.string().regex(/^[a-zA-Z0-9_-]+$/, 'provider names use letters, digits, - and _'), providerEntrySchema).default({}),
    defaultProvider: z.string().min(1).default('local'),
    rules: z.array(ruleSchema).default([]),
    queue: queueSchema.default(queueSchema.parse({})),
    retention: retentionSchema.default(retentionSchema.parse({})),
    publishAfterAttach: z.boolean().default(true),
    /** Template values are cut to this many characters each (prompt injection of huge fields, cost). */
    maxTemplateValueLength: z.number().int().min(16).max(32000).default(2000),
    budgets: z.array(budgetSchema).default([]),
    backfill: backfillSchema.default(backfillSchema.parse({})),
    batch: batchSchema.default(batchSchema.parse({})),

    /** Plugin content types templates may follow relations into (api:: ones always, admin:: never). */
    templateContentTypes: z
      .array(z.string().regex(/^plugin::[a-z0-9-]+\.[a-z0-9-]+$/, 'must be a plugin content-type uid like "plugin::shop.product" (api:: types are always readable, admin:: never)'))
      .default([]),
    media: mediaLimitsSchema.default(mediaLimitsSchema.parse({})),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.rules.forEach((rule, index) => {
      const first = seen.get(rule.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `"${rule.id}" is already used by rules[${first}]` });
      } else {
        seen.set(rule.id, index);
      }
    });
    config.budgets.forEach((budget, index) => {
      if (budget.rule && !seen.has(budget.rule)) {
        ctx.addIssue({ code: 'custom', path: ['budgets', index, 'rule'], message: `"${budget.rule}" is not a configured rule` });
      }
    });
  });

export type PluginConfigInput = z.input<typeof pluginConfigSchema>;
export type PluginConfig = z.infer<typeof pluginConfigSchema>;

/** Render zod issues as `ai-assets: rules[0].target: reason` lines. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`))
    .join('');
}

export class ConfigError extends Error {
  constructor(messages: string[]) {
    super(messages.map((message) => `ai-assets: ${message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/**
 * One `path: reason` line per zod issue. Unknown keys get a line each, at the key's own path
 * (`params.style: unknown key`), instead of zod's "Unrecognized key" on the parent.
 */
export function describeIssues(issues: ReadonlyArray<z.core.$ZodIssue>, prefix: ReadonlyArray<PropertyKey> = []): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${formatIssuePath([...prefix, ...issue.path, key])}: unknown key`);
    }
    const path = formatIssuePath([...prefix, ...issue.path]);
    return [path ? `${path}: ${issue.message}` : issue.message];
  });
}

export function configErrorFromZod(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): ConfigError {
  return new ConfigError(describeIssues(error.issues, prefix));
}

export function parsePluginConfig(input: unknown): PluginConfig {
  const result = pluginConfigSchema.safeParse(input ?? {});
  if (!result.success) throw configErrorFromZod(result.error);
  return result.data;
}
