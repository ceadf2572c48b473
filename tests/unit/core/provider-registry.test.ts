import { z } from 'zod';
import { ConfigError, parsePluginConfig, type PluginConfigInput } from '../../../server/src/config/schema';
import { BUILT_IN_PROVIDER_TYPES, createProviderRegistry } from '../../../server/src/providers/registry';
import type { ProviderType } from '../../../server/src/providers/types';
import { silentLog } from '../../fixtures/fake-strapi';

const builtInNames = BUILT_IN_PROVIDER_TYPES.map((type) => type.type).join(', ');

/** A custom provider type (names starting with "acme" are never built in). */
function fakeType(type: string, optionsSchema: z.ZodType<Record<string, unknown>> = z.object({}).passthrough()): ProviderType {
  return {
    type,
    optionsSchema,
    create: jest.fn(({ name }) => ({
      name,
      type,
      capabilities: { generate: true, edit: false, mask: false, maxImages: 1, sizes: [], formats: ['png'], transparentBackground: false },
      paramsSchema: z.object({}),
      generate: jest.fn(),
      edit: jest.fn(),
      describe: () => ({ configured: true }),
    })),
  };
}

function buildError(input: PluginConfigInput, types: ProviderType[] = []): ConfigError {
  const registry = createProviderRegistry();
  types.forEach((type) => registry.registerType(type));
  try {
    registry.build(parsePluginConfig(input), silentLog);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected build to throw');
}

describe('providers/registry', () => {
  describe('build', () => {
    it('always builds the local provider, even with no providers configured', () => {
      const registry = createProviderRegistry();
      registry.build(parsePluginConfig({}), silentLog);
      expect(registry.list().map((provider) => provider.name)).toEqual(['local']);
      expect(registry.get('local')).toMatchObject({ name: 'local', type: 'local', capabilities: { generate: true, edit: true, mask: true } });
    });

    it('builds each configured instance with its options (without type) and keeps local', () => {
      const studio = fakeType('acme', z.object({ apiKey: z.string() }).strict());
      const registry = createProviderRegistry();
      registry.registerType(studio);
      registry.build(parsePluginConfig({ providers: { studio: { type: 'acme', apiKey: 'sk-test' } }, defaultProvider: 'studio' }), silentLog);
      expect(registry.list().map((provider) => provider.name)).toEqual(['local', 'studio']);
      // The log handed to the provider redacts its secrets before writing to the host's log.
      expect(studio.create).toHaveBeenCalledWith({ name: 'studio', options: { apiKey: 'sk-test' }, log: expect.objectContaining({ debug: expect.any(Function) }) });
      expect(registry.get('studio')).toMatchObject({ name: 'studio', type: 'acme' });
      expect(registry.find('studio')).toBe(registry.get('studio'));
    });

    it('names the key providers.<name>.type for an unknown provider type', () => {
      expect(buildError({ providers: { x: { type: 'dalle' } } }).message).toBe(
        `ai-assets: providers.x.type: unknown provider type "dalle" (known: ${builtInNames})`
      );
    });

    it('lists registered custom types among the known ones', () => {
      expect(buildError({ providers: { x: { type: 'dalle' } } }, [fakeType('acme')]).message).toContain(`(known: ${builtInNames}, acme)`);
    });

    it('names the key for options the provider type rejects', () => {
      expect(buildError({ providers: { spare: { type: 'local', apiKey: 'k' } } }).message).toBe(
        'ai-assets: providers.spare.apiKey: unknown key'
      );
    });

    it('names defaultProvider when it is not configured', () => {
      expect(buildError({ defaultProvider: 'studio' }).message).toBe(
        'ai-assets: defaultProvider: "studio" is not a configured provider (known: local)'
      );
    });

    it('forgets the instances of a previous build', () => {
      const registry = createProviderRegistry();
      registry.registerType(fakeType('acme'));
      registry.build(parsePluginConfig({ providers: { old: { type: 'acme' } } }), silentLog);
      registry.build(parsePluginConfig({}), silentLog);
      expect(registry.find('old')).toBeUndefined();
    });
  });

  describe('get', () => {
    it('throws for a name that is not configured while find returns undefined', () => {
      const registry = createProviderRegistry();
      registry.build(parsePluginConfig({}), silentLog);
      expect(() => registry.get('studio')).toThrow('Provider "studio" is not configured.');
      expect(registry.find('studio')).toBeUndefined();
    });
  });

  describe('registerType', () => {
    it('makes a new type known', () => {
      const registry = createProviderRegistry();
      expect(registry.hasType('acme')).toBe(false);
      registry.registerType(fakeType('acme'));
      expect(registry.hasType('acme')).toBe(true);
      expect(registry.hasType('local')).toBe(true);
    });

    it.each([...BUILT_IN_PROVIDER_TYPES.map((type) => [type.type]), ['acme']])('rejects a second registration of %s', (type) => {
      const registry = createProviderRegistry();
      if (!registry.hasType(type)) registry.registerType(fakeType(type));
      expect(() => registry.registerType(fakeType(type))).toThrow(`ai-assets: provider type "${type}" is already registered`);
    });

    it.each([
      ['null', null],
      ['a type without a name', { optionsSchema: z.object({}), create: () => ({}) }],
      ['a numeric name', { type: 1, optionsSchema: z.object({}), create: () => ({}) }],
      ['a type without create', { type: 'x', optionsSchema: z.object({}) }],
      ['a create that is not a function', { type: 'x', optionsSchema: z.object({}), create: 'x' }],
      ['a type without optionsSchema', { type: 'x', create: () => ({}) }],
    ])('rejects %s as malformed', (_label, type) => {
      const registry = createProviderRegistry();
      expect(() => registry.registerType(type as unknown as ProviderType)).toThrow('ai-assets: registerProviderType needs { type, optionsSchema, create }');
      expect(registry.hasType('x')).toBe(false);
    });

    it('does not leak registrations into other registries', () => {
      createProviderRegistry().registerType(fakeType('acme'));
      expect(createProviderRegistry().hasType('acme')).toBe(false);
    });
  });
});
