/** The parsed plugin config (defaults applied), read once from `plugin::ai-assets`. */
import type { Core } from '@strapi/strapi';
import { parsePluginConfig, type PluginConfig } from '../config/schema';

export const createConfigService = ({ strapi }: { strapi: Core.Strapi }) => {
  let parsed: PluginConfig | null = null;
  return {
    get(): PluginConfig {
      parsed ??= parsePluginConfig(strapi.config.get('plugin::ai-assets'));
      return parsed;
    },
  };
};

export type ConfigService = ReturnType<typeof createConfigService>;
