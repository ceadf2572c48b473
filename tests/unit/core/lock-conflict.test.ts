import { isLockConflict, retryOnLockConflict } from '../../../server/src/utils/lock-conflict';

const mysqlDeadlock = () => Object.assign(new Error('insert into `files_related_mph` ... - Deadlock found when trying to get lock; try restarting transaction'), { errno: 1213, code: 'ER_LOCK_DEADLOCK' });

describe('lock-conflict', () => {
  describe('isLockConflict', () => {
    it.each([
      ['a MySQL deadlock', mysqlDeadlock(), true],
      ['a MySQL lock wait timeout', Object.assign(new Error('Lock wait timeout exceeded'), { errno: 1205 }), true],
      ['a PostgreSQL deadlock', Object.assign(new Error('deadlock detected'), { code: '40P01' }), true],
      ['a PostgreSQL serialization failure', Object.assign(new Error('could not serialize access'), { code: '40001' }), true],
      ['a conflict wrapped as the cause of another error', new Error('write failed', { cause: mysqlDeadlock() }), true],
      ['a MySQL duplicate key', Object.assign(new Error('Duplicate entry'), { errno: 1062, code: 'ER_DUP_ENTRY' }), false],
      ['a PostgreSQL unique violation', Object.assign(new Error('duplicate key'), { code: '23505' }), false],
      ['a plain error', new Error('Deadlock found (only in the text)'), false],
      ['not an error', 'deadlock', false],
    ])('%s -> %s', (_what, error, expected) => {
      expect(isLockConflict(error)).toBe(expected);
    });
  });

  describe('retryOnLockConflict', () => {
    const noSleep = { sleep: async () => undefined };

    it('runs the work again after a lock conflict and returns its result', async () => {
      let runs = 0;
      const result = await retryOnLockConflict(async () => {
        runs += 1;
        if (runs < 3) throw mysqlDeadlock();
        return 'attached';
      }, noSleep);
      expect([result, runs]).toEqual(['attached', 3]);
    });

    it('gives up after the allowed runs with the last conflict', async () => {
      let runs = 0;
      await expect(
        retryOnLockConflict(async () => {
          runs += 1;
          throw mysqlDeadlock();
        }, { ...noSleep, runs: 4 })
      ).rejects.toThrow(/Deadlock found/);
      expect(runs).toBe(4);
    });

    it('never runs the work again for any other error', async () => {
      let runs = 0;
      await expect(
        retryOnLockConflict(async () => {
          runs += 1;
          throw Object.assign(new Error('Duplicate entry'), { errno: 1062 });
        }, noSleep)
      ).rejects.toThrow('Duplicate entry');
      expect(runs).toBe(1);
    });

    it('pauses a little longer after each conflict', async () => {
      const pauses: number[] = [];
      let runs = 0;
      await retryOnLockConflict(
        async () => {
          runs += 1;
          if (runs < 4) throw mysqlDeadlock();
        },
        { sleep: async (ms) => void pauses.push(ms), random: () => 0.5 }
      );
      expect(pauses).toEqual([30, 60, 90]);
    });
  });
});
