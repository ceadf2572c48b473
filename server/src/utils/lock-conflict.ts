/**
 * Lock conflicts between concurrent transactions: a deadlock the database broke by rolling one transaction
 * back, or a lock wait that timed out. The work was undone, not refused: the database asks the client to run
 * it again. MySQL/MariaDB meet them far more often than PostgreSQL, because under their default REPEATABLE
 * READ isolation a write also locks the gaps between index entries, so two transactions inserting link rows
 * for two different entries can wait on each other's gaps (Strapi's relation writes do exactly that).
 */

/** MySQL/MariaDB error numbers and PostgreSQL SQLSTATEs that mean "rolled back over a lock conflict: run it again". */
const MYSQL_ERRNOS = new Set([1213 /* ER_LOCK_DEADLOCK */, 1205 /* ER_LOCK_WAIT_TIMEOUT */]);
const POSTGRES_CODES = new Set(['40P01' /* deadlock_detected */, '40001' /* serialization_failure */]);

export function isLockConflict(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    const { errno, code } = current as { errno?: unknown; code?: unknown };
    if (typeof errno === 'number' && MYSQL_ERRNOS.has(errno)) return true;
    if (typeof code === 'string' && (POSTGRES_CODES.has(code) || code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT')) return true;
  }
  return false;
}

export interface LockRetryOptions {
  /** Runs in all, the first included. */
  runs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Runs `work` (one whole transaction, or one statement outside any transaction) again when the database rolled
 * it back over a lock conflict, after a short random pause so the two sides do not collide again. Only for work
 * that the rollback undid completely: never wrap a statement inside a longer transaction.
 */
export async function retryOnLockConflict<T>(work: () => Promise<T>, options: LockRetryOptions = {}): Promise<T> {
  const runs = options.runs ?? 5;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  for (let run = 1; ; run += 1) {
    try {
      return await work();
    } catch (error) {
      if (run >= runs || !isLockConflict(error)) throw error;
      await sleep(Math.round((10 + random() * 40) * run));
    }
  }
}
