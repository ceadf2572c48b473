/**
 * Taking the next due job in one step, so no other worker can take it between "find" and "lease".
 * PostgreSQL and SQLite: one `UPDATE ... WHERE id = (SELECT ... [FOR UPDATE SKIP LOCKED]) RETURNING id`.
 * SKIP LOCKED lets instances pass over rows another instance is claiming instead of queueing behind it;
 * SQLite has a single writer, so the statement is atomic there as it stands.
 * MySQL cannot select from the table it updates, so it locks the row and updates it in one transaction.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { JOB_UID } from '../content-types';
import { retryOnLockConflict } from '../utils/lock-conflict';

type Columns = Record<'status' | 'runAt' | 'attempts' | 'leaseOwner' | 'leaseExpiresAt' | 'startedAt' | 'updatedAt', string>;

function columnsOf(strapi: Core.Strapi): { table: string; column: Columns } {
  const metadata = strapi.db.metadata.get(JOB_UID);
  const name = (attribute: string) => (metadata.attributes[attribute] as { columnName?: string } | undefined)?.columnName ?? attribute;
  const column = Object.fromEntries(
    (['status', 'runAt', 'attempts', 'leaseOwner', 'leaseExpiresAt', 'startedAt', 'updatedAt'] as const).map((attribute) => [attribute, name(attribute)])
  ) as Columns;
  return { table: metadata.tableName, column };
}

/** Leases the next due job under `leaseToken` and returns its id; null when nothing is due. */
export async function claimNextDue(strapi: Core.Strapi, leaseToken: string, leaseMs: number): Promise<number | null> {
  const knex = strapi.db.connection as Knex;
  const client = (strapi.db as unknown as { dialect: { client: string } }).dialect.client;
  const { table, column } = columnsOf(strapi);
  const now = new Date();
  const lease = {
    [column.status]: 'running',
    [column.attempts]: knex.raw('?? + 1', [column.attempts]),
    [column.leaseOwner]: leaseToken,
    [column.leaseExpiresAt]: new Date(now.getTime() + leaseMs),
    [column.startedAt]: now,
    [column.updatedAt]: now,
  };
  const nextDue = (builder: Knex) =>
    builder(table)
      .select('id')
      .where(column.status, 'queued')
      .andWhere(column.runAt, '<=', now)
      .orderBy([{ column: column.runAt }, { column: 'id' }])
      .limit(1);

  if (client === 'mysql' || client === 'mysql2') {
    // InnoDB may break a deadlock between this transaction and another writer by rolling this one back: run it again.
    return retryOnLockConflict(() =>
      knex.transaction(async (trx) => {
        const [row] = (await nextDue(trx).forUpdate().skipLocked()) as Array<{ id: number }>;
        if (!row) return null;
        await trx(table).update(lease).where('id', row.id);
        return row.id;
      })
    );
  }
  const candidate = client === 'postgres' ? nextDue(knex).forUpdate().skipLocked() : nextDue(knex);
  // The status test is repeated outside the subquery: under READ COMMITTED a row re-read after a lock wait must still be queued.
  const rows = (await knex(table).update(lease).where('id', candidate).andWhere(column.status, 'queued').returning('id')) as Array<{ id: number } | number>;
  const first = rows[0];
  if (first === undefined) return null;
  return typeof first === 'number' ? first : first.id;
}
