/**
 * Content API (served under /api/ai-assets, permission `plugin::ai-assets.api-jobs.findOne`; read-only API
 * tokens have it): an external pipeline reads a job it started (status, error, result URL).
 */
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getService } from '../utils/get-service';
import { parseInput, schemas } from '../validation/admin-api';
import { respond } from './http-errors';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async findOne(ctx: Context) {
    const id = parseInput(schemas.id, ctx.params.id, 'id');
    await respond(ctx, async () => {
      const job = await getService(strapi, 'jobStore').findById(id);
      if (!job) throw new errors.NotFoundError(`Job ${id} does not exist.`);
      return { data: await getService(strapi, 'jobs').view(job) };
    });
  },
});
