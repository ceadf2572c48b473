/** Options and rule params of the `kie` provider type (kie.ai GPT Image 2 task API). */
import { z } from 'zod';
import { urlOption } from '../common/url-option';
import { apiKeyOption, dispatcherOption } from '../openai/options';
import type { ImageInput } from '../types';

/** Where kie.ai serves results [guess from observed URLs]; configurable because it changes. */
export const DEFAULT_KIE_DOWNLOAD_HOSTS = ['*.aiquickdraw.com', '*.kie.ai'];

export type PublicUrlFor = (image: ImageInput, signal: AbortSignal) => Promise<string>;

export const kieOptionsSchema = z
  .object({
    apiKey: apiKeyOption,
    baseUrl: urlOption().default('https://api.kie.ai'),
    textToImageModel: z.string().min(1).default('gpt-image-2-text-to-image'),
    imageToImageModel: z.string().min(1).default('gpt-image-2-image-to-image'),
    /** Per HTTP call (create, poll). */
    timeoutMs: z.number().int().min(1).max(600_000).default(60_000),
    /** Whole task: create, wait, download. */
    taskTimeoutMs: z.number().int().min(1).max(3_600_000).default(600_000),
    pollIntervalMs: z.number().int().min(1).default(2000),
    maxPollIntervalMs: z.number().int().min(1).default(15_000),
    /** Sent as callBackUrl so the host can react to completion; polling still decides the result. */
    callBackUrl: urlOption(/^https$/).optional(),
    /** HMAC key kie.ai signs callbacks with; callbacks are refused (401) while it is unset. */
    webhookSecret: apiKeyOption,
    downloadHosts: z.array(z.string().min(1)).min(1).default(DEFAULT_KIE_DOWNLOAD_HOSTS),
    downloadMaxBytes: z.number().int().min(1).default(50 * 1024 * 1024),
    downloadTimeoutMs: z.number().int().min(1).default(120_000),
    /** Tests / local development only: plain http and loopback result URLs. */
    downloadAllowHttp: z.boolean().default(false),
    downloadAllowLoopback: z.boolean().default(false),
    /** USD per image by resolution [3p]. */
    prices: z.record(z.enum(['1K', '2K', '4K']), z.number().min(0)).default({ '1K': 0.03, '2K': 0.05, '4K': 0.08 }),
    /**
     * Image-to-image needs source images at public URLs. Without this hook the provider cannot edit
     * (capabilities.edit = false) and says so in describe().
     */
    publicUrlFor: z.custom<PublicUrlFor>((value) => typeof value === 'function', { message: 'must be a function' }).optional(),
    dispatcher: dispatcherOption,
  })
  .strict();
export type KieOptions = z.infer<typeof kieOptionsSchema>;

export const KIE_ASPECT_RATIOS = ['auto', '1:1', '3:2', '2:3', '4:3', '3:4', '16:9', '9:16'] as const;

export const kieParamsSchema = z
  .object({
    aspect_ratio: z.enum(KIE_ASPECT_RATIOS).default('auto'),
    resolution: z.enum(['1K', '2K', '4K']).default('1K'),
  })
  .strict();
export type KieParams = z.infer<typeof kieParamsSchema>;
