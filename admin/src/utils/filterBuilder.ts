/**
 * The backfill filter builder's model: rows of field / operator / value, combined with `$and`, to and from
 * Strapi filter syntax. `filtersToRows` answers null for a filter the rows cannot show (`$or`, other
 * operators, unknown fields): the form then keeps it in the JSON view.
 */
import type { FilterField, FilterFieldKind } from '../types';

export type FilterOperator = '$eq' | '$ne' | '$contains' | '$startsWith' | '$gt' | '$lt' | '$null' | '$notNull';
export interface FilterRow {
  field: string;
  operator: FilterOperator;
  /** As typed; converted to the field's type when the filter is built. */
  value: string;
}

const OPERATORS: Record<FilterFieldKind, FilterOperator[]> = {
  text: ['$eq', '$ne', '$contains', '$startsWith', '$null', '$notNull'],
  number: ['$eq', '$ne', '$gt', '$lt', '$null', '$notNull'],
  date: ['$gt', '$lt', '$eq', '$null', '$notNull'],
  boolean: ['$eq', '$ne', '$null', '$notNull'],
  media: ['$null', '$notNull'],
};

export const operatorsFor = (kind: FilterFieldKind): FilterOperator[] => OPERATORS[kind];
/** $null / $notNull carry `true`, not a typed value. */
export const takesValue = (operator: FilterOperator) => operator !== '$null' && operator !== '$notNull';

export const emptyRow = (field: FilterField): FilterRow => ({ field: field.path, operator: operatorsFor(field.kind)[0], value: '' });

function typedValue(kind: FilterFieldKind, value: string): string | number | boolean {
  if (kind === 'number') return value.trim() === '' ? value : Number(value);
  if (kind === 'boolean') return value === 'true';
  return value;
}

/** A row is ready when its field exists, its operator fits the field and a value is there when one is needed. */
export function rowProblem(row: FilterRow, fields: FilterField[]): 'field' | 'value' | null {
  const field = fields.find((candidate) => candidate.path === row.field);
  if (!field || !operatorsFor(field.kind).includes(row.operator)) return 'field';
  if (!takesValue(row.operator)) return null;
  if (row.value.trim() === '') return 'value';
  if (field.kind === 'number' && !Number.isFinite(Number(row.value))) return 'value';
  if (field.kind === 'date' && Number.isNaN(Date.parse(row.value))) return 'value';
  return null;
}

function rowFilter(row: FilterRow, field: FilterField): Record<string, unknown> {
  const condition = { [row.operator]: takesValue(row.operator) ? typedValue(field.kind, row.value) : true };
  // `category.slug` -> { category: { slug: { ... } } }
  return row.field
    .split('.')
    .reverse()
    .reduce<Record<string, unknown>>((inner, segment) => ({ [segment]: inner }), condition);
}

/** Strapi filter syntax for the rows: one row as is, several under `$and`, none as `{}`. */
export function rowsToFilters(rows: FilterRow[], fields: FilterField[]): Record<string, unknown> {
  const built = rows.flatMap((row) => {
    const field = fields.find((candidate) => candidate.path === row.field);
    return field ? [rowFilter(row, field)] : [];
  });
  if (built.length === 0) return {};
  return built.length === 1 ? built[0] : { $and: built };
}

const isObject = (value: unknown): value is Record<string, unknown> => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** One `{ path: { $op: value } }` leaf (possibly nested by path), or null. */
function leafToRows(filter: Record<string, unknown>, fields: FilterField[], prefix = ''): FilterRow[] | null {
  const rows: FilterRow[] = [];
  for (const [key, value] of Object.entries(filter)) {
    const path = `${prefix}${key}`;
    const field = fields.find((candidate) => candidate.path === path);
    if (!isObject(value)) return null;
    if (!field) {
      const nested = leafToRows(value, fields, `${path}.`);
      if (!nested) return null;
      rows.push(...nested);
      continue;
    }
    for (const [operator, operand] of Object.entries(value)) {
      if (!operatorsFor(field.kind).includes(operator as FilterOperator)) return null;
      if (!takesValue(operator as FilterOperator)) {
        if (operand !== true) return null;
        rows.push({ field: path, operator: operator as FilterOperator, value: '' });
      } else {
        if (!['string', 'number', 'boolean'].includes(typeof operand)) return null;
        rows.push({ field: path, operator: operator as FilterOperator, value: String(operand) });
      }
    }
  }
  return rows;
}

/** The rows showing a filter, or null when the builder cannot show it. */
export function filtersToRows(filters: Record<string, unknown>, fields: FilterField[]): FilterRow[] | null {
  const { $and, ...rest } = filters;
  const rows: FilterRow[] = [];
  if ($and !== undefined) {
    if (!Array.isArray($and)) return null;
    for (const part of $and) {
      if (!isObject(part)) return null;
      const partRows = leafToRows(part, fields);
      if (!partRows) return null;
      rows.push(...partRows);
    }
  }
  if (Object.keys(rest).some((key) => key.startsWith('$'))) return null;
  const restRows = leafToRows(rest, fields);
  if (!restRows) return null;
  return [...rows, ...restRows];
}
