/**
 * Content API (served under /api/ai-assets, guarded by API tokens and users-permissions roles through
 * Strapi's own route permissions: `plugin::ai-assets.api-rules.run`): an external pipeline runs a rule.
 */
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import { parseInput, schemas } from '../validation/admin-api';
import { respond } from './http-errors';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async run(ctx: Context) {
    const input = parseInput(schemas.runRule, (ctx.request as unknown as { body?: unknown }).body, 'body');
    await respond(ctx, async () => ({ data: await getService(strapi, 'jobs').runRule(String(ctx.params.ruleId), input) }), input.dryRun ? 200 : 202);
  },
});
