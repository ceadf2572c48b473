import { AbortedError } from '../providers/errors';

/** Rejects with AbortedError if the signal is already aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AbortedError('The request was canceled before it finished.');
}

/** A sleep that ends early (rejecting with AbortedError) when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError('The request was canceled before it finished.'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError('The request was canceled before it finished.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
