/** Backfill routes (admin and content API share them): validate -> one service call. */
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import { parseInput, schemas } from '../validation/admin-api';
import { adminUserId, respond } from './http-errors';

type Action = 'startRun' | 'pause' | 'resume' | 'cancel';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'backfills');
  const id = (ctx: Context) => parseInput(schemas.id, ctx.params.id, 'params.id');
  // Admin routes carry an admin user; content-API routes an API token.
  const via = (ctx: Context) => ((ctx.state as { route?: { info?: { type?: string } } }).route?.info?.type === 'content-api' ? 'api' : 'admin');
  const act = (action: Action) => async (ctx: Context) => {
    const backfillId = id(ctx);
    await respond(ctx, async () => ({ data: await service()[action](backfillId) }));
  };

  return {
    async create(ctx: Context) {
      const input = parseInput(schemas.createBackfill, (ctx.request as unknown as { body?: unknown }).body, 'body');
      const userId = via(ctx) === 'admin' ? adminUserId(ctx) : undefined;
      await respond(ctx, async () => ({ data: await service().create({ ...input, userId, via: via(ctx) }) }), input.dryRun ? 200 : 202);
    },
    async list(ctx: Context) {
      await respond(ctx, async () => ({ data: await service().list() }));
    },
    async findOne(ctx: Context) {
      const backfillId = id(ctx);
      await respond(ctx, async () => ({ data: await service().get(backfillId) }));
    },
    async budgets(ctx: Context) {
      await respond(ctx, async () => ({ data: await service().budgets() }));
    },
    start: act('startRun'),
    pause: act('pause'),
    resume: act('resume'),
    cancel: act('cancel'),
  };
};
