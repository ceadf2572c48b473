import type { Core } from '@strapi/strapi';
import { filterFields } from '../../../server/src/backfill/filter-fields';
import { normalizeFilters } from '../../../server/src/backfill/filters';
import { filtersToRows, rowProblem, rowsToFilters, type FilterRow } from '../../../admin/src/utils/filterBuilder';
import { components, contentTypes } from '../../fixtures/fake-strapi';

const strapi = {
  contentTypes: {
    ...contentTypes,
    'api::article.article': {
      ...contentTypes['api::article.article'],
      attributes: { ...contentTypes['api::article.article'].attributes, price: { type: 'decimal' }, featured: { type: 'boolean' }, createdAt: { type: 'datetime' }, locale: { type: 'string' } },
    },
  },
  components,
} as unknown as Core.Strapi;
const UID = 'api::article.article';
const fields = filterFields(strapi, UID);

describe('filter builder', () => {
  describe('filterFields', () => {
    it('offers scalar fields, media emptiness, api relations by a scalar field and the timestamps', () => {
      expect(fields).toEqual([
        { path: 'title', kind: 'text' },
        { path: 'price', kind: 'number' },
        { path: 'featured', kind: 'boolean' },
        { path: 'createdAt', kind: 'date' },
        { path: 'cover', kind: 'media' },
        { path: 'gallery', kind: 'media' },
        { path: 'author.name', kind: 'text' },
        { path: 'tags.name', kind: 'text' },
        { path: 'updatedAt', kind: 'date' },
      ]);
    });

    it('never offers private, password, admin, users-permissions or plugin relation fields', () => {
      const paths = fields.map((field) => field.path);
      for (const hidden of ['internalNote', 'accessCode', 'createdBy', 'reviewer', 'buyer', 'product', 'body', 'seo', 'locale']) {
        expect(paths.some((path) => path === hidden || path.startsWith(`${hidden}.`))).toBe(false);
      }
    });
  });

  describe('rowsToFilters', () => {
    it.each<[string, FilterRow[], Record<string, unknown>]>([
      ['no row', [], {}],
      ['one row as is', [{ field: 'title', operator: '$startsWith', value: 'Kettle' }], { title: { $startsWith: 'Kettle' } }],
      ['media emptiness', [{ field: 'cover', operator: '$null', value: 'ignored' }], { cover: { $null: true } }],
      ['a relation by a scalar field, nested', [{ field: 'author.name', operator: '$eq', value: 'Ada' }], { author: { name: { $eq: 'Ada' } } }],
      ['numbers and booleans typed', [{ field: 'price', operator: '$gt', value: '9.5' }, { field: 'featured', operator: '$eq', value: 'false' }], { $and: [{ price: { $gt: 9.5 } }, { featured: { $eq: false } }] }],
      ['dates as written', [{ field: 'createdAt', operator: '$lt', value: '2026-01-31' }], { createdAt: { $lt: '2026-01-31' } }],
    ])('builds %s, and the server accepts it', (_label, rows, expected) => {
      const built = rowsToFilters(rows, fields);
      expect(built).toEqual(expected);
      expect(() => normalizeFilters(strapi, UID, built, { pluginContentTypes: [] })).not.toThrow();
    });
  });

  describe('filtersToRows', () => {
    it('shows what the builder built, and implicit ands', () => {
      const rows: FilterRow[] = [
        { field: 'title', operator: '$contains', value: 'steel' },
        { field: 'cover', operator: '$notNull', value: '' },
        { field: 'author.name', operator: '$ne', value: 'Ada' },
      ];
      expect(filtersToRows(rowsToFilters(rows, fields), fields)).toEqual(rows);
      expect(filtersToRows({ title: { $startsWith: 'K' }, cover: { $null: true } }, fields)).toEqual([
        { field: 'title', operator: '$startsWith', value: 'K' },
        { field: 'cover', operator: '$null', value: '' },
      ]);
    });

    it.each([
      ['$or', { $or: [{ title: { $eq: 'A' } }] }],
      ['an operator the builder lacks', { title: { $endsWith: 'A' } }],
      ['an operator that does not fit the field', { cover: { $eq: 'x' } }],
      ['a field it does not offer', { body: { $null: true } }],
      ['a bare value', { title: 'A' }],
      ['a list value', { title: { $eq: ['A', 'B'] } }],
    ])('answers null for %s', (_label, filters) => {
      expect(filtersToRows(filters as Record<string, unknown>, fields)).toBeNull();
    });
  });

  describe('rowProblem', () => {
    it.each<[FilterRow, 'field' | 'value' | null]>([
      [{ field: 'title', operator: '$eq', value: 'x' }, null],
      [{ field: 'cover', operator: '$null', value: '' }, null],
      [{ field: 'title', operator: '$eq', value: ' ' }, 'value'],
      [{ field: 'price', operator: '$gt', value: 'ten' }, 'value'],
      [{ field: 'createdAt', operator: '$gt', value: 'yesterday-ish' }, 'value'],
      [{ field: 'cover', operator: '$eq', value: 'x' }, 'field'],
      [{ field: 'nope', operator: '$eq', value: 'x' }, 'field'],
    ])('%j -> %s', (row, problem) => {
      expect(rowProblem(row, fields)).toBe(problem);
    });
  });
});
