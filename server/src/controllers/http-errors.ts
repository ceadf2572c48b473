/** Maps service errors to HTTP answers: 400 / 404 through Strapi's error classes, 409 for state conflicts. */
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { NonRetryableError } from '../providers/errors';
import { PlanError } from '../services/planner';
import { JobStateError } from '../services/jobs';

export async function respond<T>(ctx: Context, work: () => Promise<T>, status = 200): Promise<void> {
  try {
    const body = await work();
    ctx.status = status;
    ctx.body = body;
  } catch (error) {
    if (error instanceof JobStateError) {
      ctx.status = 409;
      ctx.body = { data: null, error: { status: 409, name: 'ConflictError', message: error.message, details: {} } };
      return;
    }
    if (error instanceof PlanError) {
      throw error.status === 404 ? new errors.NotFoundError(error.message) : new errors.ApplicationError(error.message);
    }
    if (error instanceof NonRetryableError) throw new errors.ApplicationError(error.message);
    throw error;
  }
}

export const adminUserId = (ctx: Context): number | undefined => (ctx.state as { user?: { id: number } }).user?.id;
