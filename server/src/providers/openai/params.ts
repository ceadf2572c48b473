/**
 * Rule params for OpenAI-shaped image APIs (OpenAI, Azure OpenAI), validated before any paid call.
 * Field names are the API's own so a rule reads like the API reference.
 */
import { z } from 'zod';
import { parseSize } from '../common/size';

export const FIXED_SIZES = ['1024x1024', '1536x1024', '1024x1536'] as const;

/** gpt-image-2 and its snapshots / variants accept flexible sizes. */
export function hasFlexibleSizes(model: string): boolean {
  return /^gpt-image-2(?:$|[-.])/.test(model);
}

/** gpt-image-2 size rules (spec): why `size` is refused, or null when it is fine. */
export function flexibleSizeProblem(width: number, height: number): string | null {
  if (width % 16 !== 0 || height % 16 !== 0) return 'both edges must be multiples of 16';
  if (Math.max(width, height) > 3840) return 'the longest edge must be at most 3840 pixels';
  if (Math.max(width, height) / Math.min(width, height) > 3) return 'the long edge may be at most 3 times the short edge';
  const pixels = width * height;
  if (pixels < 655_360 || pixels > 8_294_400) return 'the total pixels must be between 655,360 and 8,294,400';
  return null;
}

export function sizeProblem(size: string, model: string): string | null {
  if (size === 'auto' || (FIXED_SIZES as readonly string[]).includes(size)) return null;
  if (!hasFlexibleSizes(model)) return `must be "auto" or one of ${FIXED_SIZES.join(', ')} for ${model}`;
  const parsed = parseSize(size);
  if (!parsed) return 'must be "auto" or "WIDTHxHEIGHT", e.g. "1536x1024"';
  return flexibleSizeProblem(parsed.width, parsed.height);
}

const baseParams = z
  .object({
    /** Overrides the provider's model for this rule. */
    model: z.string().min(1).optional(),
    size: z.string().min(1).optional(),
    quality: z.enum(['auto', 'low', 'medium', 'high']).optional(),
    background: z.enum(['auto', 'opaque', 'transparent']).optional(),
    output_format: z.enum(['png', 'jpeg', 'webp']).optional(),
    output_compression: z.number().int().min(0).max(100).optional(),
    moderation: z.enum(['auto', 'low']).optional(),
    n: z.number().int().min(1).max(10).optional(),
    /** Edits only; gpt-image-2 always uses high fidelity and gpt-image-1-mini has none. */
    input_fidelity: z.enum(['low', 'high']).optional(),
    user: z.string().min(1).max(256).optional(),
    /** Partial frames to stream while the image is made (0 = none); overrides the provider's `partialImages`. */
    partial_images: z.number().int().min(0).max(3).optional(),
  })
  .strict();

export type OpenAIParams = z.infer<typeof baseParams>;

/** Params schema bound to the provider's default model (size rules depend on the model). */
export function createOpenAIParamsSchema(defaultModel: string) {
  return baseParams.superRefine((params, ctx) => {
    const model = params.model ?? defaultModel;
    if (params.size !== undefined) {
      const problem = sizeProblem(params.size, model);
      if (problem) ctx.addIssue({ code: 'custom', path: ['size'], message: problem });
    }
    const format = params.output_format ?? 'png';
    if (params.background === 'transparent' && format === 'jpeg') {
      ctx.addIssue({ code: 'custom', path: ['background'], message: 'transparent needs output_format png or webp' });
    }
    if (params.output_compression !== undefined && format === 'png') {
      ctx.addIssue({ code: 'custom', path: ['output_compression'], message: 'only applies to output_format jpeg or webp' });
    }
    if (params.input_fidelity !== undefined && (hasFlexibleSizes(model) || model.startsWith('gpt-image-1-mini'))) {
      ctx.addIssue({ code: 'custom', path: ['input_fidelity'], message: `is not supported by ${model}; leave it out` });
    }
  });
}
