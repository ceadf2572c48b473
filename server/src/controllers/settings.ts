/** Admin routes for rules, content types, settings, stats and the provider test. */
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getService } from '../utils/get-service';
import { parseInput, schemas } from '../validation/admin-api';
import { adminUserId, respond } from './http-errors';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async rules(ctx: Context) {
    const query = parseInput(schemas.rulesQuery, ctx.query, 'query');
    await respond(ctx, async () => ({ data: getService(strapi, 'settings').rules(query.contentType) }));
  },
  async contentTypes(ctx: Context) {
    await respond(ctx, async () => ({ data: getService(strapi, 'settings').contentTypes() }));
  },
  async runRule(ctx: Context) {
    const input = parseInput(schemas.runRule, (ctx.request as unknown as { body?: unknown }).body, 'body');
    const ruleId = String(ctx.params.ruleId);
    await respond(
      ctx,
      async () => ({ data: await getService(strapi, 'jobs').runRule(ruleId, { ...input, userId: adminUserId(ctx) }) }),
      input.dryRun ? 200 : 202
    );
  },
  async overview(ctx: Context) {
    await respond(ctx, async () => ({ data: getService(strapi, 'settings').overview() }));
  },
  async stats(ctx: Context) {
    await respond(ctx, async () => ({ data: await getService(strapi, 'jobs').stats() }));
  },
  async testProvider(ctx: Context) {
    const result = await getService(strapi, 'settings').testProvider(String(ctx.params.name));
    if (!result) throw new errors.NotFoundError(`Provider "${ctx.params.name}" is not configured.`);
    ctx.body = { data: result };
  },
});
