/**
 * `azure-openai`: GPT image models deployed on Azure OpenAI, in either URL form:
 * - classic: `endpoint` (https://{resource}.openai.azure.com) + `deployment` + `apiVersion`;
 * - v1: `baseUrl` (https://{resource}.openai.azure.com/openai/v1/), with `model` = the deployment name.
 * Auth is the `api-key` header. Request/response code is shared with `openai` (../openai/core.ts).
 */
import { z } from 'zod';
import { createHttpClient } from '../../http/client';
import { urlOption } from '../common/url-option';
import { createOpenAICompatibleProvider } from '../openai/core';
import { apiKeyOption, dispatcherOption, timeoutOption } from '../openai/options';
import { DEFAULT_PRICES, pricesSchema } from '../openai/pricing';
import type { ImageProvider, ProviderType } from '../types';

export const DEFAULT_AZURE_API_VERSION = '2025-04-01-preview';

export const azureOpenAIOptionsSchema = z
  .object({
    apiKey: apiKeyOption,
    /** Classic form: the resource endpoint. */
    endpoint: urlOption().optional(),
    /** v1 form: the OpenAI-shaped base URL. */
    baseUrl: urlOption().optional(),
    deployment: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only'),
    apiVersion: z.string().min(1).default(DEFAULT_AZURE_API_VERSION),
    /** The model behind the deployment, for size rules and prices. */
    model: z.string().min(1).default('gpt-image-2'),
    timeoutMs: timeoutOption,
    prices: pricesSchema.optional(),
    dispatcher: dispatcherOption,
  })
  .strict()
  .superRefine((options, ctx) => {
    if (!options.endpoint === !options.baseUrl) {
      ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'set exactly one of "endpoint" (classic deployment URL) or "baseUrl" (v1 URL)' });
    }
  });
export type AzureOpenAIOptions = z.infer<typeof azureOpenAIOptionsSchema>;

export const azureOpenAIProviderType: ProviderType = {
  type: 'azure-openai',
  optionsSchema: azureOpenAIOptionsSchema as unknown as z.ZodType<Record<string, unknown>>,
  create({ name, options, log }): ImageProvider {
    const config = azureOpenAIOptionsSchema.parse(options);
    const classic = Boolean(config.endpoint);
    const baseUrl = classic ? `${(config.endpoint as string).replace(/\/+$/, '')}/openai/deployments/${config.deployment}/` : (config.baseUrl as string);
    const http = createHttpClient({
      baseUrl,
      label: 'Azure OpenAI',
      timeoutMs: config.timeoutMs,
      dispatcher: config.dispatcher,
      headers: config.apiKey ? { 'api-key': config.apiKey } : {},
      secrets: [config.apiKey],
    });
    return createOpenAICompatibleProvider({
      name,
      type: 'azure-openai',
      http,
      log,
      apiKey: config.apiKey,
      model: config.model,
      // Classic URLs name the deployment in the path; v1 names it in `model`. A rule's model can't switch deployments.
      bodyModel: () => (classic ? undefined : config.deployment),
      paths: { generations: 'images/generations', edits: 'images/edits' },
      query: classic ? { 'api-version': config.apiVersion } : undefined,
      prices: { ...DEFAULT_PRICES, ...config.prices },
    });
  },
};
