/**
 * Strapi's own `entry.*` events for changes the plugin makes below the Document Service (the live row of a
 * published entry is written directly so that unpublished draft edits are never pushed live). Emitted the way
 * Strapi's document service does: the row deep-populated, sanitized for output, on the event hub, so webhooks
 * subscribed to `entry.publish` fire exactly as if an editor had attached the file and published.
 */
import type { Core, UID } from '@strapi/strapi';
import { sanitize } from '@strapi/utils';
import { runAsPluginWrite } from '../triggers/plugin-writes';

type Attribute = { type: string; component?: string; components?: string[]; unstable_virtual?: boolean };
type Populate = Record<string, unknown>;

const populateCache = new Map<string, Populate>();

/** The populate Strapi uses for its entry events: media in full, relations, components and zones all the way down. */
function deepPopulate(strapi: Core.Strapi, uid: string): Populate {
  const cached = populateCache.get(uid);
  if (cached) return cached;
  const populate: Populate = {};
  const attributes = (strapi.getModel(uid as UID.Schema)?.attributes ?? {}) as Record<string, Attribute>;
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.type === 'relation' && !attribute.unstable_virtual) populate[name] = true;
    else if (attribute.type === 'media') populate[name] = { select: ['*'] };
    else if (attribute.type === 'component' && attribute.component) populate[name] = { populate: deepPopulate(strapi, attribute.component) };
    else if (attribute.type === 'dynamiczone') {
      populate[name] = { on: Object.fromEntries((attribute.components ?? []).map((component) => [component, { populate: deepPopulate(strapi, component) }])) };
    }
  }
  populateCache.set(uid, populate);
  return populate;
}

/**
 * Emits `event` for the row `rowId` of `uid`. Marked as a plugin write so the plugin's own triggers ignore it.
 * Call after the write has committed.
 */
export async function emitEntryEvent(strapi: Core.Strapi, event: 'entry.publish' | 'entry.update', uid: string, rowId: number): Promise<void> {
  const model = strapi.getModel(uid as UID.Schema);
  const row = await strapi.db.query(uid as UID.Schema).findOne({ where: { id: rowId }, populate: deepPopulate(strapi, uid) } as never);
  if (!row) return;
  const entry = await sanitize.sanitizers.defaultSanitizeOutput({ schema: model, getModel: (modelUid: string) => strapi.getModel(modelUid as UID.Schema) } as never, row);
  await runAsPluginWrite(() => strapi.eventHub.emit(event, { model: model.modelName, uid: model.uid, entry }));
}
