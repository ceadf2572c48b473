import { parsePluginConfig, type RuleConfig } from '../../../server/src/config/schema';
import { contentTypesWithRules, findRule, ruleAppliesToLocale, rulesForEvent } from '../../../server/src/rules/match';

const base = { contentType: 'api::article.article', prompt: 'p', target: 'cover' };
const config = parsePluginConfig({
  rules: [
    { ...base, id: 'on-publish', on: ['publish'] },
    { ...base, id: 'on-create-update', on: ['create', 'update'] },
    { ...base, id: 'manual-only' },
    { ...base, id: 'page-publish', contentType: 'api::page.page', on: ['publish'] },
  ],
});
const ids = (rules: RuleConfig[]) => rules.map((rule) => rule.id);

describe('rules/match', () => {
  describe('rulesForEvent', () => {
    it.each([
      ['api::article.article', 'publish', ['on-publish']],
      ['api::article.article', 'create', ['on-create-update']],
      ['api::article.article', 'update', ['on-create-update']],
      ['api::page.page', 'publish', ['page-publish']],
      ['api::page.page', 'update', []],
      ['api::author.author', 'publish', []],
    ] as const)('for %s on %s returns %j', (uid, event, expected) => {
      expect(ids(rulesForEvent(config, uid, event))).toEqual(expected);
    });

    it('never returns a rule without events (manual only)', () => {
      for (const event of ['publish', 'create', 'update'] as const) {
        expect(ids(rulesForEvent(config, 'api::article.article', event))).not.toContain('manual-only');
      }
    });
  });

  describe('ruleAppliesToLocale', () => {
    const rule = (locales?: string[]) => ({ ...config.rules[0], locales });
    it.each([
      [undefined, 'en', true],
      [[], 'fr', true],
      [['en', 'de'], 'en', true],
      [['en', 'de'], 'de', true],
      [['en', 'de'], 'fr', false],
      [['en'], 'EN', false],
      [['en'], null, true],
      [['en'], undefined, true],
      [undefined, null, true],
    ])('with locales %j and locale %j returns %s', (locales, locale, expected) => {
      expect(ruleAppliesToLocale(rule(locales), locale)).toBe(expected);
    });
  });

  describe('findRule', () => {
    it('finds a rule by id and returns undefined for an unknown id', () => {
      expect(findRule(config, 'manual-only')?.id).toBe('manual-only');
      expect(findRule(config, 'nope')).toBeUndefined();
    });
  });

  describe('contentTypesWithRules', () => {
    it('lists each content type that has any rule once', () => {
      expect([...contentTypesWithRules(config)].sort()).toEqual(['api::article.article', 'api::page.page']);
    });
  });
});
