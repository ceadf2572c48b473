import type { Core } from '@strapi/strapi';
import { registerDocumentTrigger } from './triggers/document-middleware';
import { getService } from './utils/get-service';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // Parse now so a structurally bad config stops Strapi before anything else runs.
  getService(strapi, 'config').get();
  registerDocumentTrigger(strapi);
};
