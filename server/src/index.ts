/**
 * strapi-plugin-ai-assets, server side. The whole plugin from here: lifecycle (register, bootstrap,
 * destroy), config, the job content type, admin routes, controllers and services.
 */
import bootstrap from './bootstrap';
import config from './config';
import contentTypes from './content-types';
import controllers from './controllers';
import destroy from './destroy';
import register from './register';
import routes from './routes';
import services from './services';

export type { ImageProvider, ProviderType, GenerateRequest, EditRequest, ProviderResult, ProviderCapabilities } from './providers/types';
export * as providerErrors from './providers/errors';

export default {
  register,
  bootstrap,
  destroy,
  config,
  contentTypes,
  routes,
  controllers,
  services,
  policies: {},
  middlewares: {},
};
