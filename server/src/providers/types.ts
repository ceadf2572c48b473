/**
 * The ImageProvider contract: everything that can generate and/or edit images implements it.
 *
 * The queue, the media pipeline and the admin only ever see this interface, so the offline `local`
 * provider and the network providers (openai, azure-openai, kie, custom ones) are interchangeable.
 *
 * Rules for implementers:
 * - Honour `signal`: abort the underlying call promptly and reject with an `AbortedError`.
 * - Never retry a call that may have reached the provider (no silent re-billing): throw a typed
 *   `ProviderError` and let the job queue decide, using `isRetryable()`.
 * - Never put a secret into an error message, a log line or the returned object.
 */
import type { z } from 'zod';
import type { ProviderBatchApi } from './batch-types';

export type ImageMimeType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface ProviderCapabilities {
  generate: boolean;
  edit: boolean;
  mask: boolean;
  /** Maximum number of images one call may return. */
  maxImages: number;
  /** Human-readable description of accepted sizes, e.g. "any WxH, multiples of 16" or a list. */
  sizes: string[];
  formats: Array<'png' | 'jpeg' | 'webp'>;
  transparentBackground: boolean;
}

export interface ImageInput {
  data: Buffer;
  mime: string;
  /** File name to present to the provider (multipart uploads). */
  name?: string;
}

export interface GenerateRequest {
  prompt: string;
  /** Provider-specific params, already validated by `paramsSchema`. */
  params: Record<string, unknown>;
}

export interface EditRequest extends GenerateRequest {
  /** One or more source images; the first one is the image the mask applies to. */
  images: ImageInput[];
  /** Optional mask: fully transparent pixels mark the area to change (OpenAI convention). */
  mask?: ImageInput;
}

export interface ProviderCallOptions {
  signal: AbortSignal;
  /**
   * Called with each partial (in-progress) frame while the image is being made, when the provider can show
   * them (OpenAI streaming, `local`). A preview only: never the result. The provider has already checked its
   * size; the call does not wait for what the receiver does with it longer than the receiver takes.
   */
  onPartial?: (frame: PartialFrame) => void | Promise<void>;
}

/** One in-progress frame of the image being made. */
export interface PartialFrame {
  /** 0-based, increasing: later frames are sharper. */
  index: number;
  data: Buffer;
  mime: string;
}

export interface ProviderUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  [key: string]: unknown;
}

export interface GeneratedImage {
  data: Buffer;
  mime: ImageMimeType | string;
  width?: number;
  height?: number;
  revisedPrompt?: string;
}

export interface ProviderResult {
  images: GeneratedImage[];
  model?: string;
  requestId?: string;
  usage?: ProviderUsage;
  /** Cost of this call in USD when the provider or a price table can tell. */
  costUsd?: number;
  /** Rate-limit windows the provider advertised on this answer (read by the per-provider limiter). */
  rateLimit?: Record<string, { limit?: number; remaining?: number; resetMs?: number }>;
}

export interface ImageProvider {
  /** The provider instance name from config (e.g. "studio"), not its type. */
  readonly name: string;
  readonly type: string;
  readonly capabilities: ProviderCapabilities;
  /** Model used when params name none, shown in the admin. */
  readonly model?: string;
  /** zod schema of the `params` a rule may pass; validated at startup and on every job creation. */
  readonly paramsSchema: z.ZodType<Record<string, unknown>>;
  generate(request: GenerateRequest, options: ProviderCallOptions): Promise<ProviderResult>;
  edit(request: EditRequest, options: ProviderCallOptions): Promise<ProviderResult>;
  /**
   * Optional webhook receiver (POST /api/ai-assets/providers/<name>/callback). Must verify the sender and be
   * idempotent: providers repeat callbacks. Returns whether the callback was accepted.
   */
  handleCallback?(input: { headers: Record<string, string | string[] | undefined>; body: unknown }): { ok: true } | { ok: false; reason: string };
  /**
   * Expected cost in USD of one call with these (validated) params, from the provider's price table, before
   * anything is paid (backfill estimates, budgets); undefined when the provider cannot tell.
   */
  estimateCostUsd?(request: { operation: 'generate' | 'edit'; params: Record<string, unknown> }): number | undefined;
  /** Present when the provider takes requests through a Batch API (rules and backfills in `mode: 'batch'`). */
  readonly batch?: ProviderBatchApi;
  /** Whether the provider can be called at all (e.g. key present); never reveals the key. */
  describe(): { configured: boolean; problem?: string };
}

/** What a provider type receives to build an instance from one `providers.<name>` config entry. */
export interface ProviderFactoryContext {
  name: string;
  options: Record<string, unknown>;
  log: { debug(msg: string): void; info(msg: string): void; warn(msg: string): void; error(msg: string): void };
}

export interface ProviderType {
  type: string;
  /** zod schema of the provider options in `providers.<name>` (everything except `type`). */
  optionsSchema: z.ZodType<Record<string, unknown>>;
  create(context: ProviderFactoryContext): ImageProvider;
}
