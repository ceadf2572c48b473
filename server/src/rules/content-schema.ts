/** Questions about host content-type schemas: template paths, populate trees, entry labels. */
import type { Core, UID } from '@strapi/strapi';

type Attribute = { type: string; target?: string; component?: string; components?: string[]; relation?: string };
type Schema = { attributes: Record<string, Attribute>; options?: { draftAndPublish?: boolean }; pluginOptions?: Record<string, unknown> };

export function schemaOf(strapi: Core.Strapi, uid: string): Schema | undefined {
  return (strapi.contentTypes[uid as UID.ContentType] ?? strapi.components[uid as UID.Component]) as unknown as Schema | undefined;
}

function nextSchemaUid(attribute: Attribute): string | undefined {
  if (attribute.type === 'relation') return attribute.target;
  if (attribute.type === 'component') return attribute.component;
  if (attribute.type === 'media') return 'plugin::upload.file';
  return undefined;
}

/** A Document Service populate tree that loads every relation/component/media a set of paths walks through. */
export function populateFor(strapi: Core.Strapi, uid: string, paths: string[]): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const path of paths) {
    let schema = schemaOf(strapi, uid);
    let node = tree;
    for (const segment of path.split('.')) {
      const attribute = schema?.attributes[segment];
      const next = attribute && nextSchemaUid(attribute);
      if (!attribute || !next) break;
      const existing = node[segment];
      const child = (existing && typeof existing === 'object' ? existing : { populate: {} }) as { populate: Record<string, unknown> };
      node[segment] = child;
      node = child.populate;
      schema = schemaOf(strapi, next);
    }
  }
  return prune(tree);
}

/** `{ a: { populate: {} } }` -> `{ a: true }` so Strapi accepts the tree. */
function prune(tree: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tree).map(([key, value]) => {
      const populate = (value as { populate: Record<string, unknown> }).populate;
      return [key, Object.keys(populate).length === 0 ? true : { populate: prune(populate) }];
    })
  );
}

const LABEL_CANDIDATES = ['title', 'name', 'label', 'heading', 'headline', 'subject', 'slug'];

/** A human label for an entry, for job lists and file names. */
export function entryLabel(strapi: Core.Strapi, uid: string, entry: Record<string, unknown>): string | null {
  const schema = schemaOf(strapi, uid);
  const stringFields = Object.entries(schema?.attributes ?? {})
    .filter(([, attribute]) => ['string', 'text', 'uid', 'email'].includes(attribute.type))
    .map(([name]) => name);
  const field = LABEL_CANDIDATES.find((candidate) => stringFields.includes(candidate)) ?? stringFields[0];
  const value = field ? entry[field] : null;
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 250) : null;
}

export function isLocalized(strapi: Core.Strapi, uid: string): boolean {
  const schema = schemaOf(strapi, uid);
  return Boolean((schema?.pluginOptions?.i18n as { localized?: boolean } | undefined)?.localized);
}

export function hasDraftAndPublish(strapi: Core.Strapi, uid: string): boolean {
  return Boolean(schemaOf(strapi, uid)?.options?.draftAndPublish);
}
