import type { Core } from '@strapi/strapi';
import { validateAgainstSchemas } from './config/validate-against-schemas';
import { configureDecodeLimits } from './media/decode';
import { ACTIONS } from './permissions';
import { registerJobWebhookEvents } from './events/job-events';
import { scheduleRetention } from './queue/retention';
import { getService } from './utils/get-service';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  const config = getService(strapi, 'config').get();
  configureDecodeLimits(config.media);
  const providers = getService(strapi, 'providers');
  // Custom provider types are registered by the host app's register(), which runs before this.
  providers.build(config, strapi.log);
  validateAgainstSchemas(strapi, config, providers);

  await strapi.service('admin::permission').actionProvider.registerMany(
    ACTIONS.map(({ uid, displayName }) => ({ section: 'plugins', displayName, uid, pluginName: 'ai-assets' }))
  );

  registerJobWebhookEvents(strapi);
  scheduleRetention(strapi, getService(strapi, 'jobStore'), config.retention);
  getService(strapi, 'queue').start();
  if (config.queue.worker) getService(strapi, 'batches').start();
  getService(strapi, 'publishSweep').start();
  getService(strapi, 'backfills').start();
};
