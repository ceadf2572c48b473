/**
 * The one place domain errors become HTTP answers: 404 for things that do not exist, 409 for state
 * conflicts, 400 for any other error of the domain; anything else stays a 500.
 */
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { AiAssetsError } from '../errors/domain';
import { JobStateError } from '../queue/errors';

export async function respond<T>(ctx: Context, work: () => Promise<T>, status = 200): Promise<void> {
  try {
    const body = await work();
    ctx.status = status;
    ctx.body = body;
  } catch (error) {
    if (error instanceof JobStateError) {
      ctx.status = 409;
      ctx.body = { data: null, error: { status: 409, name: 'ConflictError', message: error.message, details: { code: error.code } } };
      return;
    }
    if (error instanceof AiAssetsError) {
      throw error.code === 'not_found' ? new errors.NotFoundError(error.message) : new errors.ApplicationError(error.message, { code: error.code });
    }
    throw error;
  }
}

export const adminUserId = (ctx: Context): number | undefined => (ctx.state as { user?: { id: number } }).user?.id;
