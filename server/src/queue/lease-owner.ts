/**
 * Lease owners are `host:pid:random`. A process that starts on a host can tell whether an earlier process
 * of the same host is still alive (signal 0), so the leases of a crashed process are released at the next
 * start instead of after the full lease. Requires a host name unique per instance (Docker and Kubernetes
 * give each container its own); leases of other hosts always wait for expiry.
 */
import { hostname } from 'node:os';

export function thisHost(): string {
  return hostname().replace(/:/g, '_');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process that wrote `leaseOwner` may still be running; true for other hosts (cannot know). */
export function leaseOwnerAlive(leaseOwner: string, host: string = thisHost()): boolean {
  const [ownerHost, pidText] = leaseOwner.split(':');
  const pid = Number(pidText);
  if (ownerHost !== host || !Number.isInteger(pid) || pid <= 0) return true;
  return pid === process.pid || processAlive(pid);
}
