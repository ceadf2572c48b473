/**
 * Marks document writes made by the plugin itself (attaching a result) so the trigger middleware ignores
 * them: the plugin's own writes never re-trigger rules.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const pluginWrite = new AsyncLocalStorage<true>();

export function runAsPluginWrite<T>(work: () => Promise<T>): Promise<T> {
  return pluginWrite.run(true, work);
}

export function isPluginWrite(): boolean {
  return pluginWrite.getStore() === true;
}
