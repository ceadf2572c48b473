import admin from './admin';
import contentApi from './content-api';
import { adminBackfillRoutes, contentApiBackfillRoutes } from './backfills';

export default {
  admin: { ...admin, routes: [...admin.routes, ...adminBackfillRoutes] },
  'content-api': { ...contentApi, routes: [...contentApi.routes, ...contentApiBackfillRoutes] },
};
