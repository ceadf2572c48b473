import { z } from 'zod';
import { ConfigError, parsePluginConfig, type PluginConfigInput } from '../../../server/src/config/schema';
import { validateAgainstSchemas } from '../../../server/src/config/validate-against-schemas';
import { createProviderRegistry } from '../../../server/src/providers/registry';
import type { ProviderType } from '../../../server/src/providers/types';
import { fakeStrapi, silentLog } from '../../fixtures/fake-strapi';

const rule = { id: 'article-cover', contentType: 'api::article.article', prompt: 'A cover for {{title}}', target: 'cover' };

/** A provider type that can generate but not edit, to exercise the capability checks. */
const generateOnlyType: ProviderType = {
  type: 'painter',
  optionsSchema: z.object({}).strict(),
  create: ({ name }) =>
    ({
      name,
      type: 'painter',
      capabilities: { generate: true, edit: false, mask: false, maxImages: 1, sizes: [], formats: ['png'], transparentBackground: false },
      paramsSchema: z.object({}).strict(),
      generate: jest.fn(),
      edit: jest.fn(),
      describe: () => ({ configured: true }),
    }) as never,
};

function validate(input: PluginConfigInput): void {
  const config = parsePluginConfig(input);
  const providers = createProviderRegistry();
  providers.registerType(generateOnlyType);
  providers.build(config, silentLog);
  validateAgainstSchemas(fakeStrapi(), config, providers);
}

function problemsOf(input: PluginConfigInput): string[] {
  try {
    validate(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.split('\n');
  }
  throw new Error('expected validateAgainstSchemas to throw');
}

describe('config/validate-against-schemas', () => {
  describe('validateAgainstSchemas', () => {
    it('refuses a budget for a provider that is not configured, naming the key', () => {
      expect(problemsOf({ rules: [rule], budgets: [{ provider: 'openai', monthlyUsd: 50 }] })).toContain('ai-assets: budgets[0].provider: "openai" is not a configured provider');
    });

    it('refuses n > 1 on a rule without review, naming params.n', () => {
      expect(problemsOf({ rules: [{ ...rule, params: { n: 3 } }] })).toEqual([
        'ai-assets: rules[0].params.n: more than one image needs review: true (an editor picks one; without review the others would be paid for and never used)',
      ]);
    });

    it('accepts n up to the provider maximum on a review rule', () => {
      expect(() => validate({ rules: [{ ...rule, review: true, params: { n: 10 } }] })).not.toThrow();
    });

    it("refuses n above a custom provider's declared maximum", () => {
      const painterRule = { ...rule, provider: 'painter', review: true, params: {} };
      expect(() => validate({ providers: { painter: { type: 'painter' } }, rules: [painterRule] })).not.toThrow();
      expect(problemsOf({ providers: { painter: { type: 'painter' } }, rules: [{ ...painterRule, params: { n: 2 } }] })).toContain(
        'ai-assets: rules[0].params.n: provider "painter" returns at most 1 image per call'
      );
    });

    it('accepts a budget for the built-in local provider', () => {
      expect(() => validate({ rules: [rule], budgets: [{ provider: 'local', dailyUsd: 1 }] })).not.toThrow();
    });

    it.each([
      ['a plain field', rule],
      ['an edit rule with a media source', { ...rule, operation: 'edit' as const, source: 'gallery' }],
      ['a relation path', { ...rule, prompt: 'By {{author.name}}' }],
      ['a to-many relation path', { ...rule, prompt: 'Tags: {{tags.name}}' }],
      ['a component path', { ...rule, prompt: '{{seo.metaTitle}}' }],
      ['a media path through the upload file schema', { ...rule, prompt: '{{author.avatar.alternativeText}}' }],
      ['built-in and system variables', { ...rule, prompt: '{{locale}} {{documentId}} {{author.id}} {{publishedAt}}' }],
      ['templates in altText and caption', { ...rule, altText: 'Cover of {{title}}', caption: 'By {{author.name}}' }],
      ['valid local params', { ...rule, params: { size: '1536x1024', seed: 7, title: '{{title}}' } }],
      ['a named provider that exists', { ...rule, provider: 'painter' }],
    ])('accepts a rule with %s', (_label, valid) => {
      expect(() => validate({ rules: [valid], providers: { painter: { type: 'painter' } } })).not.toThrow();
    });

    it.each([
      ['an unknown content type', { ...rule, contentType: 'api::page.page' }, 'ai-assets: rules[0].contentType: "api::page.page" is not a content type of this app'],
      ['a target that is not a media field', { ...rule, target: 'title' }, 'ai-assets: rules[0].target: "title" is not a media field of api::article.article'],
      ['a target that does not exist', { ...rule, target: 'image' }, 'ai-assets: rules[0].target: "image" is not a field of api::article.article'],
      ['a source that is not a media field', { ...rule, operation: 'edit' as const, source: 'author' }, 'ai-assets: rules[0].source: "author" is not a media field of api::article.article'],
      ['an unknown prompt field', { ...rule, prompt: '{{subtitle}}' }, 'ai-assets: rules[0].prompt: template field "subtitle": "subtitle" is not a field of api::article.article'],
      ['an unknown field behind a relation', { ...rule, prompt: '{{author.email}}' }, 'ai-assets: rules[0].prompt: template field "author.email": "email" is not a field of api::author.author'],
      ['an unknown field behind a component', { ...rule, prompt: '{{seo.keywords}}' }, 'ai-assets: rules[0].prompt: template field "seo.keywords": "keywords" is not a field of shared.seo'],
      ['a path that continues past a plain field', { ...rule, prompt: '{{title.first}}' }, 'ai-assets: rules[0].prompt: template field "title.first": "title" is a string field and has no fields'],
      ['an unknown altText field', { ...rule, altText: '{{alt}}' }, 'ai-assets: rules[0].altText: template field "alt": "alt" is not a field of api::article.article'],
      ['an unknown caption field', { ...rule, caption: '{{credit}}' }, 'ai-assets: rules[0].caption: template field "credit": "credit" is not a field of api::article.article'],
      ['an unknown provider', { ...rule, provider: 'studio' }, 'ai-assets: rules[0].provider: "studio" is not a configured provider'],
      ['a size below 16 pixels', { ...rule, params: { size: '12x12' } }, 'ai-assets: rules[0].params.size: each edge must be between 16 and 4096 pixels'],
      ['a size above 4096 pixels', { ...rule, params: { size: '5000x1024' } }, 'ai-assets: rules[0].params.size: each edge must be between 16 and 4096 pixels'],
      ['a size that is not WxH', { ...rule, params: { size: 'huge' } }, 'ai-assets: rules[0].params.size: must be "auto" or "WIDTHxHEIGHT", e.g. "1536x1024"'],
      ['a negative seed', { ...rule, params: { seed: -1 } }, 'ai-assets: rules[0].params.seed: Too small: expected number to be >=0'],
      ['an unknown param', { ...rule, params: { style: 'vivid' } }, 'ai-assets: rules[0].params.style: unknown key'],
      ['an edit on a provider that cannot edit', { ...rule, provider: 'painter', operation: 'edit' as const, source: 'gallery' }, 'ai-assets: rules[0].operation: provider "painter" cannot edit images'],
    ])('rejects %s with a message naming the key', (_label, invalid, expected) => {
      expect(problemsOf({ rules: [invalid], providers: { painter: { type: 'painter' } } })).toEqual([expected]);
    });

    it('uses defaultProvider when a rule names none', () => {
      const problems = problemsOf({
        defaultProvider: 'painter',
        providers: { painter: { type: 'painter' } },
        rules: [{ ...rule, operation: 'edit', source: 'gallery' }],
      });
      expect(problems).toEqual(['ai-assets: rules[0].operation: provider "painter" cannot edit images']);
    });

    it('reports the problems of every rule at once, in rule order', () => {
      const problems = problemsOf({
        rules: [
          { ...rule, id: 'one', target: 'title', prompt: '{{nope}} {{author.nope}}' },
          { ...rule, id: 'two', contentType: 'api::page.page' },
          { ...rule, id: 'three', provider: 'studio' },
          { ...rule, id: 'four', params: { size: 'huge', extra: true } },
          { ...rule, id: 'five' },
        ],
      });
      expect(problems).toEqual([
        'ai-assets: rules[0].target: "title" is not a media field of api::article.article',
        'ai-assets: rules[0].prompt: template field "nope": "nope" is not a field of api::article.article',
        'ai-assets: rules[0].prompt: template field "author.nope": "nope" is not a field of api::author.author',
        'ai-assets: rules[1].contentType: "api::page.page" is not a content type of this app',
        'ai-assets: rules[2].provider: "studio" is not a configured provider',
        expect.stringContaining('ai-assets: rules[3].params.size: must be "auto"'),
        'ai-assets: rules[3].params.extra: unknown key',
      ]);
    });
  });
});
