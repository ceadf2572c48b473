/** Thrown by a check to stop waiting at once (e.g. the job failed while we waited for success). */
export class StopWaiting extends Error {}

/** Polls until `check` returns a truthy value or the deadline passes (no fixed sleeps in tests). */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
