import { parsePluginConfig } from '../../../server/src/config/schema';
import { validateAgainstSchemas } from '../../../server/src/config/validate-against-schemas';
import { createProviderRegistry } from '../../../server/src/providers/registry';
import { populateFor } from '../../../server/src/rules/content-schema';
import { readablePopulate, templatePathProblem, templateProblems } from '../../../server/src/rules/template-access';
import { renderTemplate } from '../../../server/src/rules/template';
import { fakeStrapi, silentLog } from '../../fixtures/fake-strapi';

const ARTICLE = 'api::article.article';
const strapi = fakeStrapi();
const closed = { pluginContentTypes: [] };
const openShop = { pluginContentTypes: ['plugin::shop.product', 'plugin::users-permissions.user'] };

describe('rules/template-access', () => {
  describe('templatePathProblem', () => {
    it.each([
      'title',
      'body',
      'author.name',
      'tags.name',
      'seo.metaTitle',
      'cover.alternativeText',
      'author.avatar.name',
      'locale',
      'documentId',
      'publishedAt',
      'author.id',
    ])('lets a template read the entry content "%s"', (path) => {
      expect(templatePathProblem(strapi, ARTICLE, path, closed)).toBeNull();
    });

    it.each([
      ['createdBy.email', 'admin author'],
      ['createdBy.password', 'admin author'],
      ['updatedBy.email', 'admin author'],
      ['createdBy', 'admin author'],
      ['reviewer.email', 'admin::user, which templates may never read'],
      ['reviewer.password', 'admin::user, which templates may never read'],
      ['internalNote', 'private field'],
      ['accessCode', 'password'],
      ['cover.createdBy.email', 'admin author'],
      ['cover.folder.name', 'list it in templateContentTypes'],
      ['product.name', 'list it in templateContentTypes'],
      ['buyer.email', 'list it in templateContentTypes'],
      ['related.title', 'polymorphic relation'],
      ['constructor', 'is not a field'],
      ['__proto__.polluted', 'is not a field'],
      ['toString', 'is not a field'],
    ])('refuses "%s" (%s)', (path, reason) => {
      expect(templatePathProblem(strapi, ARTICLE, path, closed)).toContain(reason);
    });

    it('follows plugin content types only when the rule author lists them, and still hides their secrets', () => {
      expect(templatePathProblem(strapi, ARTICLE, 'product.name', openShop)).toBeNull();
      expect(templatePathProblem(strapi, ARTICLE, 'buyer.username', openShop)).toBeNull();
      expect(templatePathProblem(strapi, ARTICLE, 'product.supplierKey', openShop)).toContain('private field');
      expect(templatePathProblem(strapi, ARTICLE, 'buyer.password', openShop)).toContain('password');
    });

    it('never opens admin types, even if a config lists one', () => {
      expect(templatePathProblem(strapi, ARTICLE, 'reviewer.email', { pluginContentTypes: ['admin::user'] })).toContain('may never read');
    });
  });

  describe('templateProblems', () => {
    it('names where the template came from and every bad field', () => {
      expect(templateProblems(strapi, ARTICLE, '[{{createdBy.email}}] [{{createdBy.password}}] {{title}}', closed, 'body.prompt')).toEqual([
        expect.stringMatching(/^body\.prompt: template field "createdBy\.email" is not readable/),
        expect.stringMatching(/^body\.prompt: template field "createdBy\.password" is not readable/),
      ]);
    });

    it('sees a placeholder hidden by control characters, as the renderer will', () => {
      const problems = templateProblems(strapi, ARTICLE, '{{cre\u0000atedBy.em\u202Eail}}', closed, 'body.prompt');
      expect(problems).toEqual([expect.stringContaining('"createdBy.email"')]);
    });
  });

  describe('readablePopulate', () => {
    it('never loads a forbidden relation even when asked to', () => {
      const paths = ['createdBy.email', 'reviewer.email', 'cover.createdBy.email', 'author.name', 'cover', 'product.name'];
      expect(populateFor(strapi, ARTICLE, paths)).toHaveProperty('createdBy'); // the unfiltered tree would
      expect(readablePopulate(strapi, ARTICLE, paths, closed)).toEqual({ author: true, cover: true });
    });
  });

  describe('renderTemplate', () => {
    it('does not render placeholders that come from field values (single pass)', () => {
      const text = renderTemplate('{{title}}', { title: '{{createdBy.email}}', createdBy: { email: 'root@example.test' } }, { maxValueLength: 100 });
      expect(text).toBe('{{createdBy.email}}');
    });
  });

  describe('startup validation', () => {
    it('stops startup naming every config template that reads outside the entry', () => {
      const config = parsePluginConfig({
        rules: [{ id: 'leak', contentType: ARTICLE, prompt: 'By {{createdBy.email}}', altText: '{{reviewer.password}}', caption: '{{internalNote}}', target: 'cover' }],
      });
      const providers = createProviderRegistry();
      providers.build(config, silentLog);
      let message = '';
      try {
        validateAgainstSchemas(strapi, config, providers);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('rules[0].prompt: template field "createdBy.email" is not readable');
      expect(message).toContain('rules[0].altText: template field "reviewer.password" is not readable');
      expect(message).toContain('rules[0].caption: template field "internalNote" is not readable');
    });
  });

  describe('config', () => {
    it.each([['admin::user'], ['api::article.article'], ['plugin::Upload.file'], ['plugin::x']])('refuses templateContentTypes entry %s', (uid) => {
      expect(() => parsePluginConfig({ templateContentTypes: [uid] })).toThrow(/templateContentTypes\[0\]/);
    });
  });
});
