/**
 * A bounded run of the crash soak (`node scripts/soak-crash.js` runs 200 jobs): a process killed with SIGKILL
 * mid-work and restarted loses no job, pays no completed provider call twice, leaves no file behind and
 * attaches each result once; the restarted process takes the dead one's jobs back well before the lease ends.
 */
import { formatFigures, runCrashSoak } from './support/crash-soak';

describe('kill -9 during work', () => {
  it('loses nothing and pays nothing twice across two kills', async () => {
    const figures = await runCrashSoak({ jobs: 24, kills: 2 });
    console.log(formatFigures(figures));
    expect(figures.succeeded).toBe(24);
    expect(figures.lost).toBe(0);
    // A saved (checkpointed) result is never paid again; only an answer still in transit at the kill can be.
    expect(figures.repeatedCompletedCalls - figures.repeatedInTransit).toBe(0);
    expect(figures.completedCalls).toBe(24 + figures.repeatedInTransit);
    expect(figures.orphanFileRows).toBe(0);
    expect(figures.orphanFilesOnDisk).toBe(0);
    expect(figures.doubleAttaches).toBe(0);
    for (const ms of figures.recoveryMs) expect(ms).toBeLessThan(figures.leaseMs / 3);
  }, 900_000);
});
