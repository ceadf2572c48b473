/**
 * The same provider with its paid calls (`generate`, `edit`) run through `around`; every other member is
 * forwarded as it is unless `overrides` replaces it. The one way the registry layers behaviour (answer guard,
 * limits) over a provider instance.
 */
import type { EditRequest, GenerateRequest, ImageProvider, ProviderCallOptions, ProviderResult } from './types';

export type CallKind = 'generate' | 'edit';

export type AroundCall = <R extends GenerateRequest>(
  call: (request: R, options: ProviderCallOptions) => Promise<ProviderResult>,
  request: R,
  options: ProviderCallOptions,
  kind: CallKind
) => Promise<ProviderResult>;

export function wrapCalls(provider: ImageProvider, around: AroundCall, overrides: Partial<Pick<ImageProvider, 'describe' | 'handleCallback' | 'batch'>> = {}): ImageProvider {
  return {
    name: provider.name,
    type: provider.type,
    capabilities: provider.capabilities,
    model: provider.model,
    paramsSchema: provider.paramsSchema,
    describe: () => provider.describe(),
    ...(provider.handleCallback ? { handleCallback: provider.handleCallback.bind(provider) } : {}),
    // A price-table lookup: no call to wrap.
    ...(provider.estimateCostUsd ? { estimateCostUsd: provider.estimateCostUsd.bind(provider) } : {}),
    // Batch calls are not paid per call and have their own limits: they bypass the per-call limiter.
    ...(provider.batch ? { batch: provider.batch } : {}),
    generate: (request: GenerateRequest, options: ProviderCallOptions) => around(provider.generate.bind(provider), request, options, 'generate'),
    edit: (request: EditRequest, options: ProviderCallOptions) => around(provider.edit.bind(provider), request, options, 'edit'),
    ...overrides,
  };
}
