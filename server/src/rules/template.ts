/**
 * Data-only prompt templates: `{{field}}`, `{{relation.field}}`, `{{locale}}`, `{{documentId}}`.
 * No expressions, helpers or code: a value is looked up, flattened to plain text, trimmed and capped.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}/g;

/** Variables every template may use whatever the content type. */
export const BUILTIN_VARIABLES = new Set(['locale', 'documentId']);

/** The distinct placeholder paths a template uses, e.g. ["title", "author.name"]. */
export function templateFields(template: string): string[] {
  const fields = new Set<string>();
  // Same text the renderer substitutes in, so a NUL inside "{{cre\0atedBy}}" cannot hide a path from checks.
  for (const match of stripUnsafeCharacters(template).matchAll(PLACEHOLDER)) fields.add(match[1]);
  return [...fields];
}

/** Flattens any field value (string, number, rich-text blocks, relation arrays) to one line of text. */
export function toPlainText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlainText).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.text === 'string') return record.text;
    // Rich-text blocks: a paragraph is a node with children; join the text of its leaves.
    if (Array.isArray(record.children)) return record.children.map(toPlainText).join('');
    for (const key of ['title', 'name', 'label', 'alternativeText']) {
      if (typeof record[key] === 'string') return record[key] as string;
    }
  }
  return '';
}

function lookup(data: Record<string, unknown>, path: string): unknown {
  let current: unknown = data;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      // `tags.name` over a to-many relation: collect the field of every related entry.
      current = current.map((item) => (item && typeof item === 'object' ? (item as Record<string, unknown>)[segment] : undefined));
      continue;
    }
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * C0/C1 control characters (except tab, line feed, carriage return) and the bidi embedding, override and
 * isolate marks (U+202A-U+202E, U+2066-U+2069): invisible in the admin, they can hide or reorder text an
 * editor reviews, and NUL bytes break some databases and providers.
 */
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

export function stripUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, '');
}

export interface RenderOptions {
  maxValueLength: number;
}

export function cleanValue(value: unknown, maxValueLength: number): string {
  const text = stripUnsafeCharacters(toPlainText(value)).replace(/\s+/g, ' ').trim();
  // Count code points, not UTF-16 units, so a cut never splits an emoji into a lone surrogate.
  const characters = Array.from(text);
  return characters.length > maxValueLength ? `${characters.slice(0, maxValueLength - 1).join('').trimEnd()}…` : text;
}

/** Renders a template against an entry. Missing values render as empty text; the result is trimmed. */
export function renderTemplate(template: string, data: Record<string, unknown>, options: RenderOptions): string {
  return stripUnsafeCharacters(template)
    .replace(PLACEHOLDER, (_whole, path: string) => cleanValue(lookup(data, path), options.maxValueLength))
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
