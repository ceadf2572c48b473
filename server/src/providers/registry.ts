/**
 * Provider types (local, openai, ... and custom ones registered by the host app) and the provider
 * instances built from `config.providers`. The built-in instance `local` always exists.
 */
import type { PluginConfig } from '../config/schema';
import { ConfigError, configErrorFromZod } from '../config/schema';
import { localProviderType } from './local';
import type { ImageProvider, ProviderFactoryContext, ProviderType } from './types';

export const BUILT_IN_PROVIDER_TYPES: ProviderType[] = [localProviderType];

export interface ProviderRegistry {
  registerType(type: ProviderType): void;
  hasType(type: string): boolean;
  /** Builds every configured instance; throws ConfigError naming the bad key. */
  build(config: PluginConfig, log: ProviderFactoryContext['log']): void;
  get(name: string): ImageProvider;
  find(name: string): ImageProvider | undefined;
  list(): ImageProvider[];
}

export function createProviderRegistry(types: ProviderType[] = BUILT_IN_PROVIDER_TYPES): ProviderRegistry {
  const typesByName = new Map<string, ProviderType>(types.map((type) => [type.type, type]));
  const instances = new Map<string, ImageProvider>();

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
        const { type, ...options } = entry as { type: string } & Record<string, unknown>;
        const providerType = typesByName.get(type);
        if (!providerType) {
          throw new ConfigError([`providers.${name}.type: unknown provider type "${type}" (known: ${[...typesByName.keys()].join(', ')})`]);
        }
        const parsed = providerType.optionsSchema.safeParse(options);
        if (!parsed.success) throw configErrorFromZod(parsed.error, ['providers', name]);
        instances.set(name, providerType.create({ name, options: parsed.data, log }));
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
