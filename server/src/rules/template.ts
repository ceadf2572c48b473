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
  for (const match of template.matchAll(PLACEHOLDER)) fields.add(match[1]);
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

export interface RenderOptions {
  maxValueLength: number;
}

export function cleanValue(value: unknown, maxValueLength: number): string {
  const text = toPlainText(value).replace(/\s+/g, ' ').trim();
  // Count code points, not UTF-16 units, so a cut never splits an emoji into a lone surrogate.
  const characters = Array.from(text);
  return characters.length > maxValueLength ? `${characters.slice(0, maxValueLength - 1).join('').trimEnd()}…` : text;
}

/** Renders a template against an entry. Missing values render as empty text; the result is trimmed. */
export function renderTemplate(template: string, data: Record<string, unknown>, options: RenderOptions): string {
  return template
    .replace(PLACEHOLDER, (_whole, path: string) => cleanValue(lookup(data, path), options.maxValueLength))
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
