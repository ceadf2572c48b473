/** Strapi's plugin config entry: defaults and the load-time validator (structure only; see bootstrap for schema checks). */
import { parsePluginConfig } from './schema';

export default {
  default: {},
  validator(config: unknown) {
    parsePluginConfig(config);
  },
};
