/** Admin job routes: check input (zod) -> call the jobs service. Permissions are enforced by route policies. */
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import { parseInput, schemas } from '../validation/admin-api';
import { checkMaskImage, editRequestInput } from '../validation/mask-upload';
import { adminUserId, respond } from './http-errors';

type RequestBody = { request: { body?: unknown } };
const body = (ctx: Context) => (ctx as unknown as RequestBody).request.body;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const jobs = () => getService(strapi, 'jobs');
  const id = (ctx: Context) => parseInput(schemas.id, ctx.params.id, 'id');

  return {
    async list(ctx: Context) {
      const query = parseInput(schemas.listQuery, ctx.query, 'query');
      const filters = {
        status: query.status,
        contentType: query.contentType,
        targetDocumentId: query.documentId,
        targetLocale: query.locale,
        rule: query.rule,
        search: query.search,
        createdAfter: query.from,
        createdBefore: query.to,
      };
      await respond(ctx, () => jobs().list(filters, query.page, query.pageSize));
    },
    async findOne(ctx: Context) {
      const jobId = id(ctx);
      await respond(ctx, async () => ({ data: await jobs().detail(jobId) }));
    },
    async preview(ctx: Context) {
      const jobId = id(ctx);
      await respond(ctx, async () => ({ data: await jobs().preview(jobId) }));
    },
    async approve(ctx: Context) {
      const jobId = id(ctx);
      const input = parseInput(schemas.approve, body(ctx), 'body');
      await respond(ctx, async () => ({ data: await jobs().approve(jobId, { ...input, userId: adminUserId(ctx) }) }));
    },
    async removeCandidate(ctx: Context) {
      const jobId = id(ctx);
      const index = parseInput(schemas.candidateIndex, ctx.params.index, 'index');
      await respond(ctx, async () => ({ data: await getService(strapi, 'candidates').remove(jobId, index) }));
    },
    async revert(ctx: Context) {
      const jobId = id(ctx);
      const input = parseInput(schemas.revert, body(ctx), 'body');
      await respond(ctx, async () => ({ data: await getService(strapi, 'imageHistory').revert(jobId, { ...input, userId: adminUserId(ctx) }) }));
    },
    async history(ctx: Context) {
      const query = parseInput(schemas.historyQuery, ctx.query, 'query');
      await respond(ctx, async () => ({ data: await getService(strapi, 'imageHistory').history(query) }));
    },
    async reject(ctx: Context) {
      const jobId = id(ctx);
      const input = parseInput(schemas.reject, body(ctx), 'body');
      await respond(ctx, async () => ({ data: await jobs().reject(jobId, { ...input, userId: adminUserId(ctx) }) }));
    },
    async bulk(ctx: Context) {
      const input = parseInput(schemas.bulk, body(ctx), 'body');
      await respond(ctx, async () => {
        const succeeded: number[] = [];
        const failed: Array<{ id: number; reason: string }> = [];
        for (const jobId of input.ids) {
          try {
            if (input.action === 'approve') await jobs().approve(jobId, { userId: adminUserId(ctx) });
            else await jobs().reject(jobId, { userId: adminUserId(ctx) });
            succeeded.push(jobId);
          } catch (error) {
            failed.push({ id: jobId, reason: (error as Error).message });
          }
        }
        return { data: { succeeded, failed } };
      });
    },
    async cancel(ctx: Context) {
      const jobId = id(ctx);
      await respond(ctx, async () => ({ data: await jobs().cancel(jobId) }));
    },
    async retry(ctx: Context) {
      const jobId = id(ctx);
      await respond(ctx, async () => ({ data: await jobs().retry(jobId) }));
    },
    async regenerate(ctx: Context) {
      const jobId = id(ctx);
      const input = parseInput(schemas.regenerate, body(ctx), 'body');
      await respond(ctx, async () => ({ data: await jobs().regenerate(jobId, { ...input, userId: adminUserId(ctx) }) }), 202);
    },
    async edit(ctx: Context) {
      const jobId = id(ctx);
      const input = parseInput(schemas.edit, await editRequestInput(ctx), 'body');
      await checkMaskImage(input.mask);
      await respond(ctx, async () => ({ data: await jobs().edit(jobId, { ...input, userId: adminUserId(ctx) }) }), 202);
    },
  };
};
