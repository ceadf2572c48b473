/** Admin route: what the latest writes of one document did for each of its rules. */
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import { parseInput, schemas } from '../validation/admin-api';
import { respond } from './http-errors';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async forDocument(ctx: Context) {
    const query = parseInput(schemas.triggerOutcomesQuery, ctx.query, 'query');
    await respond(ctx, async () => ({ data: await getService(strapi, 'triggerOutcomes').forDocument(query.contentType, query.documentId, query.locale) }));
  },
});
