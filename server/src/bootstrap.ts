import type { Core } from '@strapi/strapi';
import { validateAgainstSchemas } from './config/validate-against-schemas';
import { ACTIONS } from './permissions';
import { getService } from './utils/get-service';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  const config = getService(strapi, 'config').get();
  const providers = getService(strapi, 'providers');
  // Custom provider types are registered by the host app's register(), which runs before this.
  providers.build(config, strapi.log);
  validateAgainstSchemas(strapi, config, providers);

  await strapi.service('admin::permission').actionProvider.registerMany(
    ACTIONS.map(({ uid, displayName }) => ({ section: 'plugins', displayName, uid, pluginName: 'ai-assets' }))
  );

  getService(strapi, 'queue').start();
  getService(strapi, 'backfills').start();
};
