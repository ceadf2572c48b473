/**
 * The LimitStateStore on Strapi's database: one row per provider name in a hidden table, shared by every
 * instance on the database. A write is a compare-and-set on the row's version (one UPDATE whose WHERE
 * repeats the version read), so SQLite, PostgreSQL and MySQL all apply it atomically. The row is created on
 * first use; a unique index on the provider name makes two instances creating it at once end with one row.
 */
import type { Core } from '@strapi/strapi';
import { LIMIT_STATE_UID } from '../content-types';
import { emptyLimitState, type LimitState } from './limit-window';
import type { LimitStateStore } from './limits';

interface Row {
  id: number;
  version: number;
  state: string | null;
}

function parseState(text: string | null): LimitState {
  try {
    const parsed = text ? (JSON.parse(text) as LimitState) : null;
    return parsed && Array.isArray(parsed.calls) ? parsed : emptyLimitState();
  } catch {
    return emptyLimitState();
  }
}

export function createSharedLimitStateStore({ strapi }: { strapi: Core.Strapi }): LimitStateStore {
  const query = () => strapi.db.query(LIMIT_STATE_UID);

  async function findRow(provider: string): Promise<Row | null> {
    return (await query().findOne({ where: { provider } })) as Row | null;
  }

  return {
    async read(provider) {
      let row = await findRow(provider);
      if (!row) {
        try {
          await query().create({ data: { provider, version: 0, state: JSON.stringify(emptyLimitState()) } });
        } catch (error) {
          // Another instance created it first (unique index): use theirs.
          row = await findRow(provider);
          if (!row) throw error;
        }
        row ??= await findRow(provider);
        if (!row) throw new Error(`ai-assets: could not create the limit state of ${provider}`);
      }
      return { version: row.version ?? 0, state: parseState(row.state) };
    },
    async write(provider, version, state) {
      const { count } = await query().updateMany({ where: { provider, version }, data: { version: version + 1, state: JSON.stringify(state) } });
      return count > 0;
    },
  };
}
