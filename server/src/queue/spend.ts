/**
 * Money already spent, read from the jobs' recorded cost in the database (so every instance sees the same
 * figure). Aggregates run in SQL: the job table may hold hundreds of thousands of rows.
 */
import type { Core } from '@strapi/strapi';
import { JOB_UID } from '../content-types';
import type { Job } from './types';

export interface SpendScope {
  provider?: string;
  rule?: string;
  backfillId?: number;
}

export const createSpendReader = ({ strapi }: { strapi: Core.Strapi }) => {
  const metadata = () => strapi.db.metadata.get(JOB_UID);
  const column = (name: string) => (metadata().attributes[name] as { columnName?: string }).columnName ?? name;

  function scoped(scope: SpendScope) {
    let builder = strapi.db.connection(metadata().tableName);
    if (scope.provider) builder = builder.where(column('provider'), scope.provider);
    if (scope.rule) builder = builder.where(column('rule'), scope.rule);
    if (scope.backfillId) builder = builder.where(column('backfillId'), scope.backfillId);
    return builder;
  }

  return {
    /** USD recorded by jobs of `scope` started at or after `since` (the cost is recorded once the provider answered). */
    async spentSince(scope: SpendScope, since?: Date): Promise<number> {
      let builder = scoped(scope).whereNotNull(column('costUsd'));
      if (since) builder = builder.where(column('startedAt'), '>=', since);
      const [row] = (await builder.sum({ total: column('costUsd') })) as Array<{ total: number | string | null }>;
      return Number(row?.total ?? 0);
    },

    /** Running jobs of `scope` whose cost is not recorded yet: money that may be spent any moment. */
    async runningUnpriced(scope: SpendScope, excludeId?: number): Promise<Array<Pick<Job, 'id' | 'provider' | 'operation' | 'params' | 'mode'>>> {
      let builder = scoped(scope).where(column('status'), 'running').whereNull(column('costUsd'));
      if (excludeId) builder = builder.whereNot('id', excludeId);
      const rows = (await builder.select({ id: 'id', provider: column('provider'), operation: column('operation'), params: column('params'), mode: column('mode') }).limit(1000)) as Array<
        Pick<Job, 'id' | 'provider' | 'operation' | 'mode'> & { params: unknown }
      >;
      return rows.map((row) => ({ ...row, params: typeof row.params === 'string' ? (JSON.parse(row.params) as Record<string, unknown>) : (row.params as Record<string, unknown> | null) }));
    },
  };
};

export type SpendReader = ReturnType<typeof createSpendReader>;
