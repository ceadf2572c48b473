/**
 * Validates a backfill's filter (Strapi filter syntax) against the content type's schema before it reaches
 * the database: unknown fields and operators are refused with the path named, private and password fields
 * cannot be probed through relations, and `{ media: { $null: true } }` is normalized to a query on its id.
 */
import type { Core } from '@strapi/strapi';
import { schemaOf } from '../rules/content-schema';

type Attribute = { type: string; target?: string; component?: string; private?: boolean };

const SYSTEM_FIELDS = new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'locale']);
const LOGICAL = new Set(['$and', '$or', '$not']);
const OPERATORS = new Set([
  '$eq', '$eqi', '$ne', '$nei', '$lt', '$lte', '$gt', '$gte', '$in', '$notIn', '$contains', '$notContains', '$containsi',
  '$notContainsi', '$null', '$notNull', '$between', '$startsWith', '$startsWithi', '$endsWith', '$endsWithi',
]);
const MAX_DEPTH = 6;

export class FilterError extends Error {}

const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const isPlainObject = (value: unknown): value is Record<string, unknown> => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

function targetOf(attribute: Attribute): string | undefined {
  if (attribute.type === 'relation') return attribute.target;
  if (attribute.type === 'component') return attribute.component;
  if (attribute.type === 'media') return 'plugin::upload.file';
  return undefined;
}

/** Returns the normalized filter or throws FilterError naming the offending path (e.g. `filters.category.slug`). */
export function normalizeFilters(strapi: Core.Strapi, uid: string, filters: unknown): Record<string, unknown> {
  if (filters === undefined || filters === null) return {};
  if (!isPlainObject(filters)) throw new FilterError('filters: must be an object');
  return walk(strapi, uid, filters, 'filters', 0);
}

function operand(value: unknown, path: string): unknown {
  if (isScalar(value)) return value;
  if (Array.isArray(value) && value.every(isScalar)) return value;
  throw new FilterError(`${path}: must be a value or a list of values`);
}

function operators(value: Record<string, unknown>, path: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (key === '$not' && isPlainObject(inner)) return [key, operators(inner, `${path}.${key}`)];
      if (!OPERATORS.has(key)) throw new FilterError(`${path}.${key}: unknown operator`);
      return [key, operand(inner, `${path}.${key}`)];
    })
  );
}

function walk(strapi: Core.Strapi, uid: string, filters: Record<string, unknown>, path: string, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new FilterError(`${path}: nested too deeply`);
  const schema = schemaOf(strapi, uid);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    const at = `${path}.${key}`;
    if (LOGICAL.has(key)) {
      if (key === '$not') {
        if (!isPlainObject(value)) throw new FilterError(`${at}: must be an object`);
        out[key] = walk(strapi, uid, value, at, depth + 1);
      } else {
        if (!Array.isArray(value) || !value.every(isPlainObject)) throw new FilterError(`${at}: must be a list of filters`);
        out[key] = value.map((inner, index) => walk(strapi, uid, inner as Record<string, unknown>, `${at}[${index}]`, depth + 1));
      }
      continue;
    }
    if (key.startsWith('$')) throw new FilterError(`${at}: an operator needs a field before it`);
    if (SYSTEM_FIELDS.has(key)) {
      out[key] = isPlainObject(value) ? operators(value, at) : operand(value, at);
      continue;
    }
    const attribute = schema?.attributes[key] as Attribute | undefined;
    if (!attribute) throw new FilterError(`${at}: "${key}" is not a field of ${uid}`);
    if (attribute.private || attribute.type === 'password') throw new FilterError(`${at}: "${key}" cannot be filtered on`);
    const target = targetOf(attribute);
    if (!target) {
      out[key] = isPlainObject(value) ? operators(value, at) : operand(value, at);
      continue;
    }
    if (!isPlainObject(value)) {
      out[key] = { id: operand(value, at) };
      continue;
    }
    // `{ cover: { $null: true } }` reads naturally but the query engine wants the test on the related id.
    const presence: string[] = Object.keys(value).filter((inner) => inner === '$null' || inner === '$notNull');
    const rest = Object.fromEntries(Object.entries(value).filter(([inner]) => !presence.includes(inner)));
    const normalized = Object.keys(rest).length ? walk(strapi, target, rest, at, depth + 1) : {};
    for (const inner of presence) normalized.id = { ...(normalized.id as object), [inner]: operand(value[inner], `${at}.${inner}`) };
    out[key] = normalized;
  }
  return out;
}
