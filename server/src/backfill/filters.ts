/**
 * Validates a backfill's filter (Strapi filter syntax) against the content type's schema before it reaches
 * the database: unknown fields and operators are refused with the path named, and `{ media: { $null: true } }`
 * is normalized to a query on its id. Whether a match succeeds reveals the value it tested, so a filter may
 * reach exactly what a template may read (the one allowlist in rules/template-access): never admin users,
 * `createdBy` / `updatedBy`, passwords, private fields or plugin types the host did not open.
 */
import type { Core } from '@strapi/strapi';
import { schemaOf } from '../rules/content-schema';
import { attributeProblem, nextSchema, type TemplateAccess } from '../rules/template-access';

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

/** Returns the normalized filter or throws FilterError naming the offending path (e.g. `filters.category.slug`). */
export function normalizeFilters(strapi: Core.Strapi, uid: string, filters: unknown, access: TemplateAccess): Record<string, unknown> {
  if (filters === undefined || filters === null) return {};
  if (!isPlainObject(filters)) throw new FilterError('filters: must be an object');
  return walk(strapi, uid, filters, 'filters', 0, access);
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

function walk(
  strapi: Core.Strapi,
  uid: string,
  filters: Record<string, unknown>,
  path: string,
  depth: number,
  access: TemplateAccess
): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new FilterError(`${path}: nested too deeply`);
  const schema = schemaOf(strapi, uid);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    const at = `${path}.${key}`;
    if (LOGICAL.has(key)) {
      if (key === '$not') {
        if (!isPlainObject(value)) throw new FilterError(`${at}: must be an object`);
        out[key] = walk(strapi, uid, value, at, depth + 1, access);
      } else {
        if (!Array.isArray(value) || !value.every(isPlainObject)) throw new FilterError(`${at}: must be a list of filters`);
        out[key] = value.map((inner, index) => walk(strapi, uid, inner as Record<string, unknown>, `${at}[${index}]`, depth + 1, access));
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
    const denied = attributeProblem(key, attribute);
    if (denied) throw new FilterError(`${at}: cannot be filtered on: ${denied}`);
    const next = nextSchema(key, attribute, access);
    if (next && 'problem' in next) throw new FilterError(`${at}: cannot be filtered on: ${next.problem}`);
    const target = next?.uid;
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
    const normalized = Object.keys(rest).length ? walk(strapi, target, rest, at, depth + 1, access) : {};
    for (const inner of presence) normalized.id = { ...(normalized.id as object), [inner]: operand(value[inner], `${at}.${inner}`) };
    out[key] = normalized;
  }
  return out;
}
