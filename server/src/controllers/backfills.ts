/** Backfill routes (admin and content API share them): validate -> one service call. */
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import { parseInput, schemas } from '../validation/admin-api';
import { adminUserId, respond } from './http-errors';

type Action = 'startRun' | 'pause' | 'resume' | 'cancel';

interface AuthState {
  user?: { id?: number; firstname?: string | null; lastname?: string | null; username?: string | null };
  auth?: { strategy?: { name?: string }; credentials?: { name?: string; username?: string | null; id?: number } | null };
}

/**
 * Who started a backfill, as the admin shows it: the admin's name, the API token's name or the users-permissions
 * user's username. Never an email or anything secret: other admins read it.
 */
export function startedBy(ctx: Pick<Context, 'state'>): string | null {
  const state = ctx.state as AuthState;
  const strategy = state.auth?.strategy?.name;
  const credentials = state.auth?.credentials;
  // Strapi 5 names its API token strategy 'content-api-token'.
  if (strategy === 'content-api-token' || strategy === 'api-token') return credentials?.name ? `API token "${credentials.name}"` : 'an API token';
  if (strategy === 'users-permissions') return credentials?.username ? `user "${credentials.username}"` : `user #${credentials?.id ?? '?'}`;
  const admin = state.user;
  if (!admin) return null;
  const name = [admin.firstname, admin.lastname].filter(Boolean).join(' ') || admin.username;
  return name || `admin #${admin.id}`;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'backfills');
  const id = (ctx: Context) => parseInput(schemas.id, ctx.params.id, 'params.id');
  // Admin routes carry an admin user; content-API routes an API token or a users-permissions user.
  const via = (ctx: Context) => ((ctx.state as { route?: { info?: { type?: string } } }).route?.info?.type === 'content-api' ? 'api' : 'admin');
  const act = (action: Action) => async (ctx: Context) => {
    const backfillId = id(ctx);
    await respond(ctx, async () => ({ data: await service()[action](backfillId) }));
  };

  return {
    async create(ctx: Context) {
      const input = parseInput(schemas.createBackfill, (ctx.request as unknown as { body?: unknown }).body, 'body');
      const userId = via(ctx) === 'admin' ? adminUserId(ctx) : undefined;
      await respond(ctx, async () => ({ data: await service().create({ ...input, userId, via: via(ctx), startedBy: startedBy(ctx) }) }), input.dryRun ? 200 : 202);
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
