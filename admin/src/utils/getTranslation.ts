import { pluginId } from '../pluginId';

/** Translation ids are stored prefixed with the plugin id (see registerTrads). */
export const getTranslation = (id: string) => `${pluginId}.${id}`;
