import type { Core } from '@strapi/strapi';
import { FilterError, normalizeFilters } from '../../../server/src/backfill/filters';
import { components, contentTypes } from '../../fixtures/fake-strapi';

const strapi = {
  contentTypes: {
    ...contentTypes,
    'api::author.author': { attributes: { ...contentTypes['api::author.author'].attributes, password: { type: 'password' }, secret: { type: 'string', private: true } } },
  },
  components,
} as unknown as Core.Strapi;
const UID = 'api::article.article';

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
      expect(normalizeFilters(strapi, UID, input)).toEqual(expected);
    });

    it.each([
      [{ colour: 'red' }, 'filters.colour: "colour" is not a field of api::article.article'],
      [{ author: { password: { $startsWith: '$2' } } }, 'filters.author.password: "password" cannot be filtered on'],
      [{ author: { secret: 'x' } }, 'filters.author.secret: "secret" cannot be filtered on'],
      [{ title: { $regex: '.*' } }, 'filters.title.$regex: unknown operator'],
      [{ title: { $eq: { nested: true } } }, 'filters.title.$eq: must be a value or a list of values'],
      [{ $or: { title: 'A' } }, 'filters.$or: must be a list of filters'],
      [{ $eq: 'A' }, 'filters.$eq: an operator needs a field before it'],
      [[1, 2], 'filters: must be an object'],
    ])('refuses %j naming the path', (input, message) => {
      expect(() => normalizeFilters(strapi, UID, input)).toThrow(new FilterError(message));
    });
  });
});
