/** Provider webhooks (public route): the provider verifies the signature; we only relay and answer. */
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getService } from '../utils/get-service';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async receive(ctx: Context) {
    const provider = getService(strapi, 'providers').find(String(ctx.params.name));
    if (!provider?.handleCallback) throw new errors.NotFoundError('No provider with callbacks by that name.');
    const verdict = provider.handleCallback({ headers: ctx.request.headers, body: (ctx.request as unknown as { body?: unknown }).body });
    if (!verdict.ok) {
      // Written by hand: Strapi replaces an UnauthorizedError's message with a bare "Unauthorized".
      ctx.status = 401;
      ctx.body = { data: null, error: { status: 401, name: 'UnauthorizedError', message: `Callback refused: ${verdict.reason}.`, details: {} } };
      return;
    }
    ctx.body = { data: { received: true } };
  },
});
