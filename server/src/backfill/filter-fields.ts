/**
 * The fields the admin's filter builder offers for a content type: its scalar fields, the emptiness of its media
 * fields, and one hop into relations to `api::*` content types by a scalar field of theirs (`category.slug`).
 * What it offers is a subset of what `normalizeFilters` accepts (same refusals: private and password fields).
 */
import type { Core } from '@strapi/strapi';
import { schemaOf } from '../rules/content-schema';

export type FilterFieldKind = 'text' | 'number' | 'date' | 'boolean' | 'media';
export interface FilterField {
  /** Dotted path as written in a Strapi filter (`title`, `cover`, `category.slug`). */
  path: string;
  kind: FilterFieldKind;
}

type Attribute = { type: string; target?: string; private?: boolean };

const KINDS: Record<string, FilterFieldKind> = {
  string: 'text', text: 'text', email: 'text', uid: 'text', richtext: 'text', enumeration: 'text',
  integer: 'number', biginteger: 'number', float: 'number', decimal: 'number',
  date: 'date', datetime: 'date', time: 'date', timestamp: 'date',
  boolean: 'boolean',
};
const SYSTEM_DATES = ['createdAt', 'updatedAt'];
// Set by the form's own locale input, or meaningless on the draft rows a backfill reads.
const LEFT_OUT = new Set(['locale', 'publishedAt']);

const readable = (attribute: Attribute) => !attribute.private && attribute.type !== 'password';

function scalarFields(strapi: Core.Strapi, uid: string, prefix: string): FilterField[] {
  const attributes = (schemaOf(strapi, uid)?.attributes ?? {}) as Record<string, Attribute>;
  return Object.entries(attributes)
    .filter(([, attribute]) => readable(attribute) && KINDS[attribute.type])
    .map(([name, attribute]) => ({ path: `${prefix}${name}`, kind: KINDS[attribute.type] }));
}

export function filterFields(strapi: Core.Strapi, uid: string): FilterField[] {
  const attributes = (schemaOf(strapi, uid)?.attributes ?? {}) as Record<string, Attribute>;
  const fields = scalarFields(strapi, uid, '');
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!readable(attribute)) continue;
    if (attribute.type === 'media') fields.push({ path: name, kind: 'media' });
    if (attribute.type === 'relation' && attribute.target?.startsWith('api::')) {
      fields.push(...scalarFields(strapi, attribute.target, `${name}.`).filter((field) => field.kind === 'text' || field.kind === 'number'));
    }
  }
  fields.push(...SYSTEM_DATES.map((path) => ({ path, kind: 'date' as const })));
  const byPath = new Map(fields.filter((field) => !LEFT_OUT.has(field.path)).map((field) => [field.path, field]));
  return [...byPath.values()];
}
