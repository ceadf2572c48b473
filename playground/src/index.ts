import type { Core } from '@strapi/strapi';
import { posterProvider } from './providers/poster-provider';

export default {
  /** Custom provider types are registered here, before the plugin builds its providers at bootstrap. */
  register({ strapi }: { strapi: Core.Strapi }) {
    strapi.plugin('ai-assets').service('providers').registerType(posterProvider);
  },
  bootstrap() {},
};
