/**
 * The one allowlist of what a template (rule prompt, alt text, caption, editor overrides) may read.
 *
 * A template reads the entry's own content: its attributes, its components and media, and relations to
 * `api::*` content types (plus the plugin content types the host lists in `templateContentTypes`). Never
 * admin users, roles or tokens (`admin::*`), never `createdBy` / `updatedBy`, never a `password` attribute,
 * never an attribute marked `private`, never a polymorphic relation (its target is unknown). Rendered
 * prompts are sent to a provider and shown to every reader, so anything readable here is public.
 * Backfill filters follow the same allowlist: a filter that matches or not is a way to read a value.
 */
import type { Core } from '@strapi/strapi';
import { populateFor, schemaOf } from './content-schema';
import { BUILTIN_VARIABLES, templateFields } from './template';

type Attribute = { type: string; target?: string; component?: string; relation?: string; private?: boolean };

/** Plugin content types the rule author opened to templates (`templateContentTypes` in config). */
export interface TemplateAccess {
  pluginContentTypes: ReadonlyArray<string>;
}

const SYSTEM_FIELDS = new Set(['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'locale']);
const AUTHOR_FIELDS = new Set(['createdBy', 'updatedBy']);
const MEDIA_UID = 'plugin::upload.file';

/** Why `name` may not be read, or null. Covers the attribute itself, not where it leads. */
export function attributeProblem(name: string, attribute: Attribute): string | null {
  if (AUTHOR_FIELDS.has(name)) return `"${name}" is the admin author of the entry`;
  if (attribute.type === 'password') return `"${name}" is a password`;
  if (attribute.private) return `"${name}" is a private field`;
  return null;
}

/** The schema a relation/component/media attribute leads to, or a reason it may not be followed. */
export function nextSchema(name: string, attribute: Attribute, access: TemplateAccess): { uid: string } | { problem: string } | null {
  if (attribute.type === 'component') return { uid: attribute.component as string };
  // A media field's file is content (url, alternativeText...); its own relations are checked like any other.
  if (attribute.type === 'media') return { uid: MEDIA_UID };
  if (attribute.type !== 'relation') return null;
  const target = attribute.target;
  if (!target) return { problem: `"${name}" is a polymorphic relation` };
  if (target.startsWith('api::')) return { uid: target };
  if (target.startsWith('plugin::') && access.pluginContentTypes.includes(target)) return { uid: target };
  if (target.startsWith('admin::')) return { problem: `"${name}" points to ${target}, which templates may never read` };
  return { problem: `"${name}" points to ${target}; list it in templateContentTypes to let templates read it` };
}

/** Why a template path cannot be read on `uid` (unknown field or not allowed), or null when it can. */
export function templatePathProblem(strapi: Core.Strapi, uid: string, path: string, access: TemplateAccess): string | null {
  if (BUILTIN_VARIABLES.has(path)) return null;
  let schema = schemaOf(strapi, uid);
  let schemaUid = uid;
  const segments = path.split('.');
  for (const [index, segment] of segments.entries()) {
    if (!schema) return `template field "${path}" cannot be resolved`;
    const isLast = index === segments.length - 1;
    if (SYSTEM_FIELDS.has(segment)) return isLast ? null : `template field "${path}": "${segment}" has no fields`;
    const attribute = schema.attributes[segment] as Attribute | undefined;
    if (!attribute || !Object.prototype.hasOwnProperty.call(schema.attributes, segment)) {
      return `template field "${path}": "${segment}" is not a field of ${schemaUid}`;
    }
    const denied = attributeProblem(segment, attribute);
    if (denied) return `template field "${path}" is not readable by templates: ${denied}`;
    const next = nextSchema(segment, attribute, access);
    if (next && 'problem' in next) return `template field "${path}" is not readable by templates: ${next.problem}`;
    if (!next) return isLast ? null : `template field "${path}": "${segment}" is a ${attribute.type} field and has no fields`;
    schemaUid = next.uid;
    schema = schemaOf(strapi, next.uid);
  }
  return null;
}

/** Every problem of every placeholder in `template`, each prefixed with `where` (e.g. "body.prompt"). */
export function templateProblems(strapi: Core.Strapi, uid: string, template: string, access: TemplateAccess, where: string): string[] {
  return templateFields(template)
    .map((path) => templatePathProblem(strapi, uid, path, access))
    .filter((problem): problem is string => problem !== null)
    .map((problem) => `${where}: ${problem}`);
}

/** A populate tree for the readable paths only: a forbidden relation is never loaded, even by mistake. */
export function readablePopulate(strapi: Core.Strapi, uid: string, paths: string[], access: TemplateAccess): Record<string, unknown> {
  return populateFor(strapi, uid, paths.filter((path) => templatePathProblem(strapi, uid, path, access) === null));
}

export function templateAccessOf(config: { templateContentTypes?: ReadonlyArray<string> }): TemplateAccess {
  return { pluginContentTypes: config.templateContentTypes ?? [] };
}
