/**
 * Cost of an OpenAI-shaped image call. Per-image prices by model, size and quality (spec "Cost"); when the
 * size or quality is not in the table, token prices applied to the returned usage. Configurable: prices
 * change more often than code.
 */
import { z } from 'zod';

const qualityPrices = z.object({ low: z.number().min(0), medium: z.number().min(0), high: z.number().min(0) }).strict();

export const modelPricesSchema = z
  .object({
    /** USD per image, keyed by size ("1024x1024", "1536x1024", "1024x1536"). */
    perImage: z.record(z.string(), qualityPrices).optional(),
    /** USD per 1M tokens. */
    tokens: z
      .object({
        textInput: z.number().min(0).optional(),
        imageInput: z.number().min(0).optional(),
        imageOutput: z.number().min(0).optional(),
        textOutput: z.number().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Prices by model id; a snapshot such as gpt-image-2-2026-04-21 uses the entry of gpt-image-2. */
export const pricesSchema = z.record(z.string(), modelPricesSchema);
export type PriceTable = z.infer<typeof pricesSchema>;

const landscapeAndPortrait = (low: number, medium: number, high: number) => ({ '1536x1024': { low, medium, high }, '1024x1536': { low, medium, high } });

export const DEFAULT_PRICES: PriceTable = {
  'gpt-image-2': {
    perImage: { '1024x1024': { low: 0.006, medium: 0.053, high: 0.211 }, ...landscapeAndPortrait(0.005, 0.041, 0.165) },
    tokens: { textInput: 5, imageInput: 8, imageOutput: 30 },
  },
  'gpt-image-1.5': { perImage: { '1024x1024': { low: 0.009, medium: 0.034, high: 0.133 }, ...landscapeAndPortrait(0.013, 0.05, 0.2) } },
  'gpt-image-1-mini': { perImage: { '1024x1024': { low: 0.005, medium: 0.011, high: 0.036 }, ...landscapeAndPortrait(0.006, 0.015, 0.052) } },
};

/** Exact id first, then the longest table key the id extends with "-" (dated snapshots). */
export function pricesForModel(table: PriceTable, model: string) {
  if (table[model]) return table[model];
  const base = Object.keys(table)
    .filter((key) => model.startsWith(`${key}-`))
    .sort((a, b) => b.length - a.length)[0];
  return base ? table[base] : undefined;
}

export interface ImageUsage {
  input_tokens?: number;
  output_tokens?: number;
  input_tokens_details?: { text_tokens?: number; image_tokens?: number };
  output_tokens_details?: { text_tokens?: number; image_tokens?: number };
}

export interface CostInput {
  model: string;
  /** Resolved size and quality (the API returns them resolved when `auto` was asked). */
  size?: string;
  quality?: string;
  images: number;
  usage?: ImageUsage;
}

const roundUsd = (value: number) => Math.round(value * 1_000_000) / 1_000_000;

export function computeCostUsd(table: PriceTable, input: CostInput): number | undefined {
  const prices = pricesForModel(table, input.model);
  if (!prices) return undefined;
  const perImage = input.size ? prices.perImage?.[input.size] : undefined;
  const quality = input.quality as keyof z.infer<typeof qualityPrices> | undefined;
  if (perImage && quality && quality in perImage) return roundUsd(perImage[quality] * input.images);

  const tokens = prices.tokens;
  const usage = input.usage;
  if (!tokens || !usage) return undefined;
  const textIn = usage.input_tokens_details?.text_tokens ?? (usage.input_tokens_details ? 0 : usage.input_tokens ?? 0);
  const imageIn = usage.input_tokens_details?.image_tokens ?? 0;
  const imageOut = usage.output_tokens_details?.image_tokens ?? usage.output_tokens ?? 0;
  const textOut = usage.output_tokens_details?.text_tokens ?? 0;
  const total =
    textIn * (tokens.textInput ?? 0) +
    imageIn * (tokens.imageInput ?? tokens.textInput ?? 0) +
    imageOut * (tokens.imageOutput ?? 0) +
    textOut * (tokens.textOutput ?? tokens.textInput ?? 0);
  return roundUsd(total / 1_000_000);
}

/**
 * Expected cost of one call before it is made (backfill estimates, budgets). `auto` size is priced as
 * 1024x1024 and `auto` quality as high, so an estimate errs on the side of spending less than allowed.
 */
export function estimateCostUsd(table: PriceTable, model: string, params: Record<string, unknown>): number | undefined {
  const size = typeof params.size === 'string' && params.size !== 'auto' ? params.size : '1024x1024';
  const quality = typeof params.quality === 'string' && params.quality !== 'auto' ? params.quality : 'high';
  const images = typeof params.n === 'number' ? params.n : 1;
  return computeCostUsd(table, { model, size, quality, images });
}
