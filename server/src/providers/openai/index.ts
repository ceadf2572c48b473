/**
 * `openai`: OpenAI Images API (GPT image models) or any OpenAI-compatible base URL.
 * Generations as JSON, edits as multipart; see ./core.ts for the shared request/response code.
 */
import { z } from 'zod';
import { createHttpClient } from '../../http/client';
import { urlOption } from '../common/url-option';
import type { ImageProvider, ProviderType } from '../types';
import { createOpenAIBatchApi } from './batch';
import { createOpenAICompatibleProvider } from './core';
import { apiKeyOption, dispatcherOption, partialImagesOption, timeoutOption } from './options';
import { DEFAULT_PRICES, pricesSchema } from './pricing';

export const openAIOptionsSchema = z
  .object({
    apiKey: apiKeyOption,
    baseUrl: urlOption().default('https://api.openai.com/v1'),
    organization: z.string().min(1).optional(),
    project: z.string().min(1).optional(),
    model: z.string().min(1).default('gpt-image-2'),
    timeoutMs: timeoutOption,
    partialImages: partialImagesOption,
    /** Merged over the defaults by model id. */
    prices: pricesSchema.optional(),
    dispatcher: dispatcherOption,
  })
  .strict();
export type OpenAIOptions = z.infer<typeof openAIOptionsSchema>;

export const openAIProviderType: ProviderType = {
  type: 'openai',
  optionsSchema: openAIOptionsSchema as unknown as z.ZodType<Record<string, unknown>>,
  create({ name, options, log }): ImageProvider {
    const config = openAIOptionsSchema.parse(options);
    const headers: Record<string, string> = {};
    if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
    if (config.organization) headers['openai-organization'] = config.organization;
    if (config.project) headers['openai-project'] = config.project;
    const http = createHttpClient({
      baseUrl: config.baseUrl,
      label: 'OpenAI',
      timeoutMs: config.timeoutMs,
      dispatcher: config.dispatcher,
      headers,
      secrets: [config.apiKey],
    });
    const prices = { ...DEFAULT_PRICES, ...config.prices };
    const provider = createOpenAICompatibleProvider({
      name,
      type: 'openai',
      http,
      log,
      apiKey: config.apiKey,
      model: config.model,
      // Always send model: the API's own default for generations is a retired DALL·E model.
      bodyModel: (paramsModel) => paramsModel ?? config.model,
      paths: { generations: 'images/generations', edits: 'images/edits' },
      prices,
      partialImages: config.partialImages,
    });
    const batch = createOpenAIBatchApi({ http, baseUrl: config.baseUrl, headers, dispatcher: config.dispatcher, apiKey: config.apiKey, model: config.model, prices });
    return { ...provider, batch };
  },
};
