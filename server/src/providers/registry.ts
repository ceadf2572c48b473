/**
 * Provider types (local, openai, ... and custom ones registered by the host app) and the provider
 * instances built from `config.providers`. The built-in instance `local` always exists.
 */
import type { PluginConfig } from '../config/schema';
import { ConfigError, configErrorFromZod } from '../config/schema';
import { azureOpenAIProviderType } from './azure-openai';
import { kieProviderType } from './kie';
import { createProviderLimiter, GENERATE_ARRIVAL_BOUND_MS, limitsSchema, type LimitStateStore, type ProviderLimiter, type ProviderLimits, withLimits } from './limits';
import { localProviderType } from './local';
import { openAIProviderType } from './openai';
import { guardAnswers } from './answer-guard';
import { redactingLog } from './redaction';
import { secretsInOptions } from '../utils/redact';
import type { ImageProvider, ProviderFactoryContext, ProviderType } from './types';

export const BUILT_IN_PROVIDER_TYPES: ProviderType[] = [localProviderType, openAIProviderType, azureOpenAIProviderType, kieProviderType];
const NETWORK_TYPES_WITH_PROMPT_ARRIVAL = new Set([openAIProviderType.type, azureOpenAIProviderType.type, kieProviderType.type]);

export interface ProviderRegistry {
  registerType(type: ProviderType): void;
  hasType(type: string): boolean;
  /** Builds every configured instance; throws ConfigError naming the bad key. */
  build(config: PluginConfig, log: ProviderFactoryContext['log']): void;
  get(name: string): ImageProvider;
  find(name: string): ImageProvider | undefined;
  list(): ImageProvider[];
}

export interface RegistryOptions {
  /** Where limit state lives: the database in Strapi (shared by all instances); memory when omitted. */
  limitState?: LimitStateStore;
}

export function createProviderRegistry(types: ProviderType[] = BUILT_IN_PROVIDER_TYPES, options: RegistryOptions = {}): ProviderRegistry {
  const typesByName = new Map<string, ProviderType>(types.map((type) => [type.type, type]));
  const instances = new Map<string, ImageProvider>();
  // Kept across rebuilds so a config reload doesn't forget an active rate-limit pause.
  const limiters = new Map<string, { key: string; limiter: ProviderLimiter }>();

  /**
   * Every provider goes through its limiter (pause, per-minute budgets, concurrency), custom and `local` ones
   * included; a provider without `limits` only observes pauses the provider asks for.
   */
  function limited(name: string, type: string, provider: ImageProvider, limits: ProviderLimits): ImageProvider {
    if (type === 'local' && Object.keys(limits).length === 0) return provider; // offline and free: nothing to guard
    const key = `${type}:${JSON.stringify(limits)}`;
    let entry = limiters.get(name);
    if (!entry || entry.key !== key) {
      entry = { key, limiter: createProviderLimiter(name, limits, { store: options.limitState }) };
      limiters.set(name, entry);
    }
    // Built-in network types send a generation's small JSON body right away (see GENERATE_ARRIVAL_BOUND_MS).
    const generateArrivesWithinMs = NETWORK_TYPES_WITH_PROMPT_ARRIVAL.has(type) ? GENERATE_ARRIVAL_BOUND_MS : undefined;
    return withLimits(provider, entry.limiter, { generateArrivesWithinMs });
  }

  return {
    registerType(type) {
      if (!type || typeof type.type !== 'string' || typeof type.create !== 'function' || !type.optionsSchema) {
        throw new Error('ai-assets: registerProviderType needs { type, optionsSchema, create }');
      }
      if (typesByName.has(type.type)) throw new Error(`ai-assets: provider type "${type.type}" is already registered`);
      typesByName.set(type.type, type);
    },
    hasType: (type) => typesByName.has(type),
    build(config, log) {
      instances.clear();
      const entries: Array<[string, Record<string, unknown>]> = [['local', { type: 'local' }], ...Object.entries(config.providers)];
      for (const [name, entry] of entries) {
        // `limits` is the registry's, on every entry whatever its type; the rest is the type's own options.
        const { type, limits: rawLimits, ...options } = entry as { type: string; limits?: unknown } & Record<string, unknown>;
        const providerType = typesByName.get(type);
        if (!providerType) {
          throw new ConfigError([`providers.${name}.type: unknown provider type "${type}" (known: ${[...typesByName.keys()].join(', ')})`]);
        }
        const parsed = providerType.optionsSchema.safeParse(options);
        if (!parsed.success) throw configErrorFromZod(parsed.error, ['providers', name]);
        const limits = limitsSchema.safeParse(rawLimits ?? {});
        if (!limits.success) throw configErrorFromZod(limits.error, ['providers', name, 'limits']);
        // Every answer is redacted and its retry hints capped before the limiter, the worker or the admin see it.
        const secrets = secretsInOptions(parsed.data);
        const created = providerType.create({ name, options: parsed.data, log: redactingLog(log, secrets) });
        const guarded = guardAnswers(created, { secrets, maxRetryAfterMs: config.queue.maxRetryAfterMs });
        instances.set(name, limited(name, type, guarded, limits.data));
      }
      const missing = config.defaultProvider;
      if (!instances.has(missing)) {
        throw new ConfigError([`defaultProvider: "${missing}" is not a configured provider (known: ${[...instances.keys()].join(', ')})`]);
      }
    },
    get(name) {
      const provider = instances.get(name);
      if (!provider) throw new Error(`Provider "${name}" is not configured.`);
      return provider;
    },
    find: (name) => instances.get(name),
    list: () => [...instances.values()],
  };
}
