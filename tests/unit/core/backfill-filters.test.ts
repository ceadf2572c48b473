import type { Core } from '@strapi/strapi';
import { FilterError, normalizeFilters } from '../../../server/src/backfill/filters';
import { components, contentTypes } from '../../fixtures/fake-strapi';

const strapi = {
  contentTypes: {
    ...contentTypes,
    'api::author.author': {
      attributes: {
        ...contentTypes['api::author.author'].attributes,
        password: { type: 'password' },
        secret: { type: 'string', private: true },
        account: { type: 'relation', relation: 'oneToOne', target: 'admin::user' },
        member: { type: 'relation', relation: 'oneToOne', target: 'plugin::users-permissions.user' },
        createdBy: { type: 'relation', relation: 'oneToOne', target: 'admin::user' },
      },
    },
    'admin::user': { attributes: { email: { type: 'email' } } },
    'plugin::users-permissions.user': { attributes: { email: { type: 'email' } } },
  },
  components,
} as unknown as Core.Strapi;
const UID = 'api::article.article';
const ACCESS = { pluginContentTypes: [] as string[] };

describe('backfill/filters', () => {
  describe('normalizeFilters', () => {
    it.each([
      ['nothing', undefined, {}],
      ['a scalar equality', { title: 'Kettle' }, { title: 'Kettle' }],
      ['operators', { title: { $startsWith: 'K', $notNull: true } }, { title: { $startsWith: 'K', $notNull: true } }],
      ['a relation field', { author: { name: { $eqi: 'ada' } } }, { author: { name: { $eqi: 'ada' } } }],
      ['logical operators', { $or: [{ title: 'A' }, { $not: { title: 'B' } }] }, { $or: [{ title: 'A' }, { $not: { title: 'B' } }] }],
      ['a media presence test', { cover: { $null: true } }, { cover: { id: { $null: true } } }],
      ['a relation id', { author: 3 }, { author: { id: 3 } }],
      ['system fields', { locale: 'en', id: { $gt: 4 } }, { locale: 'en', id: { $gt: 4 } }],
    ])('accepts %s', (_label, input, expected) => {
      expect(normalizeFilters(strapi, UID, input, ACCESS)).toEqual(expected);
    });

    it.each([
      [{ colour: 'red' }, 'filters.colour: "colour" is not a field of api::article.article'],
      [{ author: { password: { $startsWith: '$2' } } }, 'filters.author.password: cannot be filtered on: "password" is a password'],
      [{ author: { secret: 'x' } }, 'filters.author.secret: cannot be filtered on: "secret" is a private field'],
      [{ author: { account: { email: { $startsWith: 'a' } } } }, 'filters.author.account: cannot be filtered on: "account" points to admin::user, which templates may never read'],
      [{ author: { createdBy: { email: 'a@b.c' } } }, 'filters.author.createdBy: cannot be filtered on: "createdBy" is the admin author of the entry'],
      [
        { author: { member: { email: { $endsWith: '@b.c' } } } },
        'filters.author.member: cannot be filtered on: "member" points to plugin::users-permissions.user; list it in templateContentTypes to let templates read it',
      ],
      [{ title: { $regex: '.*' } }, 'filters.title.$regex: unknown operator'],
      [{ title: { $eq: { nested: true } } }, 'filters.title.$eq: must be a value or a list of values'],
      [{ $or: { title: 'A' } }, 'filters.$or: must be a list of filters'],
      [{ $eq: 'A' }, 'filters.$eq: an operator needs a field before it'],
      [[1, 2], 'filters: must be an object'],
    ])('refuses %j naming the path', (input, message) => {
      expect(() => normalizeFilters(strapi, UID, input, ACCESS)).toThrow(new FilterError(message));
    });

    it('follows a plugin content type the host opened in templateContentTypes', () => {
      const input = { author: { member: { email: { $endsWith: '@b.c' } } } };
      const access = { pluginContentTypes: ['plugin::users-permissions.user'] };
      expect(normalizeFilters(strapi, UID, input, access)).toEqual(input);
    });
  });
});
