import { spawnSync } from 'node:child_process';
import { leaseOwnerAlive, thisHost } from '../../../server/src/queue/lease-owner';

describe('queue/lease-owner', () => {
  describe('leaseOwnerAlive', () => {
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid as number;

    it.each([
      ['this process', () => `${thisHost()}:${process.pid}:abcd`, true],
      ['the parent process of this host', () => `${thisHost()}:${process.ppid}:abcd`, true],
      ['an exited process of this host', () => `${thisHost()}:${deadPid}:abcd`, false],
      ['another host (cannot be checked from here)', () => `other-host:${deadPid}:abcd`, true],
      ['an owner that is not host:pid:token', () => 'garbage', true],
    ])('says %s is alive: %s', (_label, owner, alive) => {
      expect(leaseOwnerAlive(owner())).toBe(alive);
    });
  });
});
